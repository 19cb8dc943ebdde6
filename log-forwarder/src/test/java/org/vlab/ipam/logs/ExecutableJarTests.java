package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/** The repackaged jar, started as an operator starts it (configured through the README's variables). */
@IntegrationTest
class ExecutableJarTests {

    @Test
    void startsHealthyFromTheOperatorsVariablesAndStopsGracefullyOnSigterm(TestVhost vhost, TestRedis redis,
            @TempDir Path directory) {
        try (ServiceProcess service = start(vhost, redis, environment(directory))) {
            service.awaitHealthy(Duration.ofSeconds(120)); // generous: CI machines may be busy

            int exitCode = service.stop(Duration.ofSeconds(30));

            List<String> output = service.outputLines();
            assertThat(exitCode).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(output).noneMatch(line -> line.contains(" ERROR "));
            assertThat(output).anyMatch(line -> line.contains("Graceful shutdown complete"));
        }
    }

    @Test
    void aSecondForwarderOnTheSameStateDirectoryRefusesToStartAndTheFirstGoesOn(TestVhost vhost, TestRedis redis,
            @TempDir Path directory) {
        Map<String, String> environment = environment(directory);
        try (ServiceProcess first = start(vhost, redis, environment)) {
            first.awaitHealthy(Duration.ofSeconds(120));
            try (ServiceProcess second = start(vhost, redis, environment)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> !second.isAlive());

                assertThat(second.exitCode()).isNotZero();
                assertThat(String.join("\n", second.outputLines())).contains("the state directory "
                        + directory.resolve("state") + " (ipam.state-dir) is in use by another log forwarder (pid "
                        + first.pid() + ")");
            }
            assertThat(first.healthStatus()).isEqualTo("UP");
        }
    }

    /** The README's variables for one forwarder with its log and state directory in {@code directory}. */
    private static Map<String, String> environment(Path directory) {
        return Map.of("IPAM_GATEWAY_ID", TestRedis.uniqueName("jar"),
                "IPAM_LOG_FILE", directory.resolve("firewall.log").toString(),
                "IPAM_LOG_STATE_DIR", directory.resolve("state").toString());
    }

    private static ServiceProcess start(TestVhost vhost, TestRedis redis, Map<String, String> environment) {
        return ServiceProcess.start(ServiceProcess.serviceJar(), ServiceProcess.serviceArguments(vhost, redis),
                environment);
    }
}
