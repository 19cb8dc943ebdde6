package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;

/** The start-up check of ICMP: on where fping answers on loopback, else off with one warning naming NET_RAW. */
@ExtendWith(OutputCaptureExtension.class)
class IcmpCheckTests {

    @Test
    void theRealFpingAnswersOnLoopbackSoIcmpIsOn(CapturedOutput output) {
        // fping is installed with the cap_net_raw file capability (.ci/services), so this
        // works for any user of this machine; it sends one echo to 127.0.0.1 only.
        FpingIcmpProber fping = new FpingIcmpProber("fping", new OsProcessRunner(), 1, Duration.ofSeconds(1));

        assertThat(IcmpCheck.usable(fping)).isSameAs(fping);
        assertThat(output.getAll()).contains("ICMP probes are on").doesNotContain("WARN");
    }

    @Test
    void aMissingFpingTurnsIcmpOffWithOneWarningNamingNetRaw(CapturedOutput output) {
        FpingIcmpProber missing = new FpingIcmpProber("/nonexistent/fping", new OsProcessRunner(), 1,
                Duration.ofSeconds(1));

        assertThat(IcmpCheck.usable(missing)).isSameAs(IcmpProber.OFF);
        assertThat(warnings(output)).singleElement().asString()
                .contains("ICMP probes are off, probing with TCP connects only", "/nonexistent/fping is not installed",
                        "NET_RAW");
    }

    @Test
    void aRawSocketRefusedTurnsIcmpOffWithOneWarningNamingNetRaw(CapturedOutput output) {
        FpingIcmpProber refused = new FpingIcmpProber("fping", (command, deadline) -> {
            throw new IOException("Cannot run program \"fping\": error=1, Operation not permitted");
        }, 1, Duration.ofSeconds(1));

        assertThat(IcmpCheck.usable(refused)).isSameAs(IcmpProber.OFF);
        assertThat(warnings(output)).singleElement().asString()
                .contains("Operation not permitted", "needs the NET_RAW capability");
    }

    @Test
    void anUnansweredLoopbackEchoTurnsIcmpOff(CapturedOutput output) {
        IcmpProber silent = address -> new IcmpProbe(ProbeOutcome.TIMED_OUT, 1, 0, null);

        assertThat(IcmpCheck.usable(silent)).isSameAs(IcmpProber.OFF);
        assertThat(warnings(output)).singleElement().asString().contains("was not answered (TIMED_OUT)", "NET_RAW");
    }

    private static java.util.List<String> warnings(CapturedOutput output) {
        return output.getAll().lines().filter(line -> line.contains(" WARN ")).toList();
    }
}
