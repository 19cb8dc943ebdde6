package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;

/** What counts as an answer: the observation the verdict is built from. */
class AddressProbesTests {

    private static final LabAddress HOST = LabAddress.of("192.168.1.20");
    private static final IcmpProbe ECHOED = new IcmpProbe(ProbeOutcome.ANSWERED, 3, 1, 0.4);
    private static final IcmpProbe SILENT = new IcmpProbe(ProbeOutcome.TIMED_OUT, 3, 0, null);

    private static TcpProbe tcp(ProbeOutcome outcome) {
        return new TcpProbe(TargetPort.of(22), outcome, outcome == ProbeOutcome.TIMED_OUT ? null : 1.0);
    }

    private static boolean answered(IcmpProbe icmp, TcpProbe... tcp) {
        return new AddressProbes(HOST, icmp, List.of(tcp), 0).answered();
    }

    @Test
    void oneEchoAnsweredIsEnough() {
        assertThat(answered(ECHOED, tcp(ProbeOutcome.TIMED_OUT))).isTrue();
    }

    @Test
    void aResetMeansTheHostIsUpEvenWhenItIgnoresPings() {
        assertThat(answered(SILENT, tcp(ProbeOutcome.REFUSED))).isTrue();
        assertThat(answered(null, tcp(ProbeOutcome.REFUSED))).as("ICMP off").isTrue();
    }

    @Test
    void aHandshakeOnAnyMappedPortIsEnough() {
        assertThat(answered(SILENT, tcp(ProbeOutcome.TIMED_OUT), tcp(ProbeOutcome.ANSWERED))).isTrue();
    }

    @Test
    void silenceAndUnreachabilityAreNoAnswer() {
        assertThat(answered(SILENT, tcp(ProbeOutcome.TIMED_OUT))).isFalse();
        assertThat(answered(new IcmpProbe(ProbeOutcome.UNREACHABLE, 3, 0, null), tcp(ProbeOutcome.UNREACHABLE)))
                .isFalse();
        assertThat(answered(null)).as("ICMP off and nothing mapped").isFalse();
    }

    @Test
    void silenceWithAProbeThatBrokeInsideTheWorkerIsNoObservation() {
        // fping could not send (EPERM), the connect timed out: the silence may be the worker's own
        AddressProbes broken = new AddressProbes(HOST, null, List.of(tcp(ProbeOutcome.TIMED_OUT)), 1);
        AddressProbes allRan = new AddressProbes(HOST, SILENT, List.of(tcp(ProbeOutcome.TIMED_OUT)), 0);
        AddressProbes answeredAnyway = new AddressProbes(HOST, null, List.of(tcp(ProbeOutcome.REFUSED)), 1);

        assertThat(broken.conclusive()).isFalse();
        assertThat(allRan.conclusive()).isTrue();
        assertThat(answeredAnyway.conclusive()).as("an answer is an answer, whatever else broke").isTrue();
    }

    @Test
    void anEchoAloneDecidesForAnAddressWithOnlyUdpMappings() {
        AddressProbes answered = new AddressProbes(HOST, ECHOED, List.of(), 0);
        AddressProbes silent = new AddressProbes(HOST, SILENT, List.of(), 0);

        assertThat(answered.answered()).isTrue();
        assertThat(answered.conclusive()).isTrue();
        assertThat(silent.answered()).isFalse();
        assertThat(silent.conclusive()).as("the echo ran and was not answered").isTrue();
    }

    @Test
    void noProbeAtAllIsNoObservation() {
        // only udp mappings and ICMP off: nothing was sent, so silence says nothing about the host
        assertThat(new AddressProbes(HOST, null, List.of(), 0).conclusive()).isFalse();
    }
}
