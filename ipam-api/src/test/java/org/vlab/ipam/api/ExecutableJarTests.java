package org.vlab.ipam.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/** The repackaged jar, started as an operator starts it, against the test RabbitMQ and Redis. */
@IntegrationTest
class ExecutableJarTests {

    @Test
    void startsHealthyAndStopsGracefullyOnSigterm(TestVhost vhost, TestRedis redis) {
        List<String> arguments = new ArrayList<>(ServiceProcess.serviceArguments(vhost, redis));
        arguments.add("--ipam.redis-key-prefix=" + redis.keyPrefix());
        Map<String, String> environment = Map.of(
                "IPAM_AUTH_DEV_SECRET", "jar-tests-development-secret-of-32-bytes-or-more");
        try (ServiceProcess service = ServiceProcess.start(ServiceProcess.serviceJar(), arguments, environment)) {
            service.awaitHealthy(Duration.ofSeconds(120)); // generous: CI machines may be busy

            int exitCode = service.stop(Duration.ofSeconds(30));

            List<String> output = service.outputLines();
            assertThat(exitCode).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(output).noneMatch(line -> line.contains(" ERROR "));
            assertThat(output).anyMatch(line -> line.contains("Graceful shutdown complete"));
        }
    }
}
