package org.vlab.ipam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/** The repackaged jar, started as an operator starts it (configured through the README's variables). */
@IntegrationTest
class ExecutableJarTests {

    @Test
    void startsHealthyFromTheOperatorsVariablesAndStopsGracefullyOnSigterm(TestVhost vhost, TestRedis redis) {
        Map<String, String> environment = Map.of("IPAM_GATEWAY_ID", TestRedis.uniqueName("jar"),
                "IPAM_WAN_INTERFACE", "lo", "IPAM_LAN_CIDRS", "10.77.0.0/16,192.168.1.0/24",
                "VLAB_PORT_MIN", "51000", "VLAB_PORT_MAX", "51010", "IPAM_FIREWALL_BACKEND", "iptables");
        try (ServiceProcess service = ServiceProcess.start(ServiceProcess.serviceJar(),
                ServiceProcess.serviceArguments(vhost, redis), environment)) {
            service.awaitHealthy(Duration.ofSeconds(120)); // generous: CI machines may be busy

            int exitCode = service.stop(Duration.ofSeconds(30));

            List<String> output = service.outputLines();
            assertThat(exitCode).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(output).noneMatch(line -> line.contains(" ERROR "));
            assertThat(output).anyMatch(line -> line.contains("Graceful shutdown complete"));
        }
    }
}
