package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;

/** Real connects on loopback; silence (timed out) needs a firewall and is proven in the lab (LabReachabilityTests). */
class NioTcpProberTests {

    private final NioTcpProber prober = new NioTcpProber(Duration.ofSeconds(2));

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
}
