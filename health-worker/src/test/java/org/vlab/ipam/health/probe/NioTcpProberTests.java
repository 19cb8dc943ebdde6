package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;

/**
 * Real connects on loopback; silence (timed out) needs a firewall and is proven in the lab
 * (LabReachabilityTests). No outcome depends on the exception's message, which the JVM takes
 * from the C library in the host's language.
 */
class NioTcpProberTests {

    private final NioTcpProber prober = new NioTcpProber(Duration.ofSeconds(2), Duration.ofSeconds(127));

    @Test
    void aListeningPortAnswersWithItsLatency() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TargetPort port = TargetPort.of(server.getLocalPort());

            TcpProbe probe = prober.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port.value()), port);

            assertThat(probe.outcome()).isEqualTo(ProbeOutcome.ANSWERED);
            assertThat(probe.port()).isEqualTo(port);
            assertThat(probe.latencyMillis()).isNotNull().isBetween(0.0, 2000.0);
        }
    }

    @Test
    void aClosedPortIsRefusedWhichMeansTheHostIsUp() throws Exception {
        int closed;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = server.getLocalPort();
        }
        TargetPort port = TargetPort.of(closed);

        TcpProbe probe = prober.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), port);

        assertThat(probe.outcome()).isEqualTo(ProbeOutcome.REFUSED);
        assertThat(probe.latencyMillis()).isNotNull();
    }

    @Test
    void aConnectThisHostWillNotSendIsAFailureOfTheWorkerNotAnOutcome() {
        // The kernel refuses a TCP connect to a broadcast address before any packet leaves (ENETUNREACH),
        // as it refuses one without a route: nothing was learned about the target.
        TargetPort port = TargetPort.of(22);

        assertThatExceptionOfType(ProbeFailedException.class)
                .isThrownBy(() -> prober.connect(new InetSocketAddress("255.255.255.255", 22), port))
                .withMessageContaining("would not send a SYN");
    }

    @Test
    void theKernelGivesUpAConnectAfterItsSynRetries() {
        assertThat(ProbeConfiguration.kernelGiveUp(6)).isEqualTo(Duration.ofSeconds(127));
        assertThat(ProbeConfiguration.kernelGiveUp(1)).isEqualTo(Duration.ofSeconds(3));
        assertThat(ProbeConfiguration.kernelGiveUp(8)).isEqualTo(Duration.ofSeconds(1 + 2 + 4 + 8 + 16 + 32 + 64 + 120 + 120));
    }

    @Test
    void readsASysctlOfSeveralDigitsWhole() throws Exception {
        Path somaxconn = Path.of("/proc/sys/net/core/somaxconn");
        String shown = new ProcessBuilder("cat", somaxconn.toString()).start().inputReader().readLine().strip();
        assertThat(shown).hasSizeGreaterThan(1);

        assertThat(ProbeConfiguration.sysctl(somaxconn, -1)).isEqualTo(Integer.parseInt(shown));
        assertThat(ProbeConfiguration.sysctl(Path.of("/proc/sys/no/such"), 6)).isEqualTo(6);
    }
}
