package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.vlab.ipam.domain.GatewayId;

/** {@link LogForwarderProperties} as application.yaml and the operators' variables bind it, and the reports of bad values. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsFillEverythingButTheGateway() {
        runner.withPropertyValues("ipam.gateway-id=alice").run(context -> {
            LogForwarderProperties properties = context.getBean(LogForwarderProperties.class);
            assertThat(properties.gatewayId()).isEqualTo(GatewayId.of("alice"));
            assertThat(properties.logFile()).isEqualTo(Path.of("/var/log/kern.log"));
            assertThat(properties.stateDir()).isEqualTo(Path.of("/var/lib/vlab-ipam"));
            assertThat(properties.batchSize()).isEqualTo(500);
            assertThat(properties.batchLinger()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.logTimeZone()).isEqualTo(ZoneId.systemDefault());
            assertThat(properties.logPollInterval()).isEqualTo(Duration.ofMillis(250));
            assertThat(properties.logRotationGrace()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.publishRetryMax()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.batchesInFlight()).isEqualTo(8);
        });
    }

    @Test
    void operatorsEnvironmentVariablesBind() {
        Map<String, Object> environment = Map.of("IPAM_GATEWAY_ID", "bob",
                "IPAM_LOG_FILE", "/var/log/ulog/syslogemu.log", "IPAM_LOG_STATE_DIR", "/srv/ipam/state");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", environment)))
                .run(context -> {
                    LogForwarderProperties properties = context.getBean(LogForwarderProperties.class);
                    assertThat(properties.gatewayId()).isEqualTo(GatewayId.of("bob"));
                    assertThat(properties.logFile()).isEqualTo(Path.of("/var/log/ulog/syslogemu.log"));
                    assertThat(properties.stateDir()).isEqualTo(Path.of("/srv/ipam/state"));
                });
    }

    @Test
    void theForwardersOwnVariablesBindAsTheReadmeNamesThem() {
        Map<String, Object> environment = Map.of("IPAM_GATEWAY_ID", "bob", "IPAM_LOG_TIME_ZONE", "Europe/Berlin",
                "IPAM_BATCH_SIZE", "50", "IPAM_BATCH_LINGER", "200ms", "IPAM_LOG_POLL_INTERVAL", "1s",
                "IPAM_LOG_ROTATION_GRACE", "10s", "IPAM_PUBLISH_RETRY_MAX", "1m", "IPAM_BATCHES_IN_FLIGHT", "3");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", environment)))
                .run(context -> {
                    LogForwarderProperties properties = context.getBean(LogForwarderProperties.class);
                    assertThat(properties.logTimeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
                    assertThat(properties.batchSize()).isEqualTo(50);
                    assertThat(properties.batchLinger()).isEqualTo(Duration.ofMillis(200));
                    assertThat(properties.logPollInterval()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(properties.logRotationGrace()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(properties.publishRetryMax()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(properties.batchesInFlight()).isEqualTo(3);
                });
    }

    @Test
    void unknownTimeZoneStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.log-time-zone=Mars/Olympus_Mons"))
                .contains("ipam.log-time-zone", "Mars/Olympus_Mons");
    }

    @Test
    void pollingTooOftenStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.log-poll-interval=1ms"))
                .contains("ipam.logPollInterval", "must be longer than or equal to 10 millis");
    }

    @Test
    void retryWaitsTooShortStopStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.publish-retry-max=10ms"))
                .contains("ipam.publishRetryMax");
    }

    @Test
    void missingGatewayIdStopsStartupNamingTheProperty(CapturedOutput output) {
        assertThat(startupFailure(output)).contains("ipam.gatewayId", "is required (IPAM_GATEWAY_ID)");
    }

    @Test
    void emptyBatchStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.batch-size=0"))
                .contains("ipam.batchSize", "must be greater than or equal to 1");
    }

    @Test
    void noBatchInFlightOrTooManyStopStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.batches-in-flight=0"))
                .contains("ipam.batchesInFlight", "must be greater than or equal to 1");
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.batches-in-flight=257"))
                .contains("ipam.batchesInFlight", "must be less than or equal to 256");
    }

    @Test
    void negativeLingerStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.batch-linger=-1s"))
                .contains("ipam.batchLinger", "must be longer than or equal to 0");
    }

    @Test
    void unusableStateDirectoryStopsStartupNamingTheProperty(CapturedOutput output, @TempDir Path directory)
            throws IOException {
        Path file = Files.createFile(directory.resolve("a-file"));
        SpringApplication application = new SpringApplication(LogForwarderApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatException().isThrownBy(() -> application.run("--ipam.gateway-id=alice",
                "--ipam.state-dir=" + file.resolve("state")).close());
        assertThat(output.getAll()).contains("cannot create the state directory " + file.resolve("state"),
                "(ipam.state-dir)");
    }

    /** Starts an application with the given arguments, expects it to fail, and returns what it printed. */
    private static String startupFailure(CapturedOutput output, String... args) {
        SpringApplication application = new SpringApplication(PropertiesOnly.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run(args).close());
        return output.getAll();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LogForwarderProperties.class)
    static class PropertiesOnly {
    }
}
