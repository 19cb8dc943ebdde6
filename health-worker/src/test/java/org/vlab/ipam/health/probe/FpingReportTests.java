package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;

/** fping 5.1's output, as printed for {@code fping -c N -p 100 -t T <address>} (stdout and stderr interleaved). */
class FpingReportTests {

    @Test
    void answeredEchoesGiveCountsAndTheMeanRoundTrip() {
        IcmpProbe probe = FpingReport.parse("10.0.0.5", """
                10.0.0.5 : [0], 64 bytes, 0.054 ms (0.054 avg, 0% loss)
                10.0.0.5 : [1], 64 bytes, 0.043 ms (0.049 avg, 0% loss)
                10.0.0.5 : [2], 64 bytes, 0.040 ms (0.046 avg, 0% loss)

                10.0.0.5 : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.040/0.046/0.054
                """);

        assertThat(probe).isEqualTo(new IcmpProbe(ProbeOutcome.ANSWERED, 3, 3, 0.046));
        assertThat(probe.loss()).isZero();
    }

    @Test
    void partlyLostEchoesAreStillAnswered() {
        IcmpProbe probe = FpingReport.parse("10.0.0.5",
                "10.0.0.5 : xmt/rcv/%loss = 3/1/66%, min/avg/max = 1.10/1.10/1.10\n");

        assertThat(probe.outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        assertThat(probe.received()).isEqualTo(1);
        assertThat(probe.loss()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void silenceIsATimeout() {
        IcmpProbe probe = FpingReport.parse("10.0.0.6", """
                10.0.0.6 : [0], timed out (NaN avg, 100% loss)

                10.0.0.6 : xmt/rcv/%loss = 1/0/100%
                """);

        assertThat(probe).isEqualTo(new IcmpProbe(ProbeOutcome.TIMED_OUT, 1, 0, null));
    }

    @Test
    void anIcmpErrorForTheAddressMakesItUnreachable() {
        IcmpProbe probe = FpingReport.parse("10.232.1.7", """
                ICMP Host Unreachable from 10.232.255.2 for ICMP Echo sent to 10.232.1.7
                10.232.1.7 : [0], timed out (NaN avg, 100% loss)

                10.232.1.7 : xmt/rcv/%loss = 1/0/100%
                """);

        assertThat(probe.outcome()).isEqualTo(ProbeOutcome.UNREACHABLE);
        assertThat(probe.sent()).isEqualTo(1);
    }

    @Test
    void anIcmpErrorAboutAnotherAddressIsNotThisOnesBusiness() {
        IcmpProbe probe = FpingReport.parse("10.0.0.6", """
                ICMP Host Unreachable from 10.0.0.1 for ICMP Echo sent to 10.0.0.66
                10.0.0.6 : xmt/rcv/%loss = 1/0/100%
                """);

        assertThat(probe.outcome()).isEqualTo(ProbeOutcome.TIMED_OUT);
    }

    @Test
    void aSummaryOfAnotherAddressIsNoAnswer() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FpingReport.parse("10.0.0.5", "10.0.0.55 : xmt/rcv/%loss = 1/1/0%, min/avg/max = 1/1/1\n"))
                .withMessageContaining("no summary for 10.0.0.5");
    }

    @Test
    void outputWithoutSummaryIsRefusedWithTheOutput() {
        assertThatIllegalArgumentException().isThrownBy(() -> FpingReport.parse("10.0.0.5", "fping: invalid option -- 'z'"))
                .withMessageContaining("invalid option");
    }
}
