package org.vlab.ipam.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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

/** {@link HealthWorkerProperties} as application.yaml and the operators' variables bind it, and the reports of bad values. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsFillEverythingButTheGateway() {
        runner.withPropertyValues("ipam.gateway-id=alice").run(context -> {
            HealthWorkerProperties properties = context.getBean(HealthWorkerProperties.class);
            assertThat(properties.gatewayId()).isEqualTo(GatewayId.of("alice"));
            assertThat(properties.probePeriod()).isEqualTo(Duration.ofSeconds(300));
            assertThat(properties.probeConcurrency()).isEqualTo(64);
            assertThat(properties.probeTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(properties.changeAfterCycles()).isEqualTo(2);
            assertThat(properties.icmpEchoes()).isEqualTo(3);
            assertThat(properties.icmpChunkSize()).isEqualTo(256);
            assertThat(properties.outboxCapacity()).isEqualTo(10_000);
        });
    }

    @Test
    void operatorsEnvironmentVariablesBind() {
        Map<String, Object> environment = Map.of("IPAM_GATEWAY_ID", "bob", "IPAM_PROBE_PERIOD", "90s",
                "IPAM_PROBE_CONCURRENCY", "128", "IPAM_PROBE_TIMEOUT", "500ms", "IPAM_CHANGE_AFTER_CYCLES", "3",
                "IPAM_ICMP_ECHOES", "1", "IPAM_OUTBOX_CAPACITY", "500",
                "IPAM_ICMP_CHUNK_SIZE", "64");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", environment)))
                .run(context -> {
                    HealthWorkerProperties properties = context.getBean(HealthWorkerProperties.class);
                    assertThat(properties.gatewayId()).isEqualTo(GatewayId.of("bob"));
                    assertThat(properties.probePeriod()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(properties.probeConcurrency()).isEqualTo(128);
                    assertThat(properties.probeTimeout()).isEqualTo(Duration.ofMillis(500));
                    assertThat(properties.changeAfterCycles()).isEqualTo(3);
                    assertThat(properties.icmpEchoes()).isEqualTo(1);
                    assertThat(properties.outboxCapacity()).isEqualTo(500);
                    assertThat(properties.icmpChunkSize()).isEqualTo(64);
                });
    }

    @Test
    void missingGatewayIdStopsStartupNamingTheProperty(CapturedOutput output) {
        assertThat(startupFailure(output)).contains("ipam.gatewayId", "is required (IPAM_GATEWAY_ID)");
    }

    @Test
    void negativeProbeConcurrencyStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.probe-concurrency=-1"))
                .contains("ipam.probeConcurrency", "must be greater than or equal to 1");
    }

    @Test
    void probeConcurrencyAboveTheLimitStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.probe-concurrency=5000"))
                .contains("ipam.probeConcurrency", "must be less than or equal to 1024");
    }

    @Test
    void anOutboxThatHoldsNothingStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.outbox-capacity=0"))
                .contains("ipam.outboxCapacity", "must be greater than or equal to 1");
    }

    @Test
    void zeroIcmpEchoesStopStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.icmp-echoes=0"))
                .contains("ipam.icmpEchoes", "must be greater than or equal to 1");
    }

    @Test
    void anEmptyOrOversizedIcmpChunkStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.icmp-chunk-size=0"))
                .contains("ipam.icmpChunkSize", "must be greater than or equal to 1");
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.icmp-chunk-size=5000"))
                .contains("ipam.icmpChunkSize", "must be less than or equal to 4096");
    }

    @Test
    void zeroChangeAfterCyclesStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.change-after-cycles=0"))
                .contains("ipam.changeAfterCycles", "must be greater than or equal to 1");
    }

    @Test
    void probeTimeoutMustBeShorterThanThePeriod(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.probe-period=5s",
                "--ipam.probe-timeout=5s"))
                .contains("ipam.probe-timeout must be shorter than ipam.probe-period (IPAM_PROBE_PERIOD)");
    }

    @Test
    void zeroProbePeriodStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.probe-period=0s"))
                .contains("ipam.probePeriod", "must be longer than or equal to 1 second");
    }

    /** Starts an application with the given arguments, expects it to fail, and returns what it printed. */
    private static String startupFailure(CapturedOutput output, String... args) {
        SpringApplication application = new SpringApplication(PropertiesOnly.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run(args).close());
        return output.getAll();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HealthWorkerProperties.class)
    static class PropertiesOnly {
    }
}
