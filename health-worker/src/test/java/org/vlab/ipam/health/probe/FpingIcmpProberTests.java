package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;

/** How the fping prober starts fping and reads its answers, with the process runner played by the test. */
class FpingIcmpProberTests {

    private static final Ipv4Address HOST = Ipv4Address.parse("192.168.1.20");

    private final List<List<String>> commands = new ArrayList<>();
    private final List<Duration> deadlines = new ArrayList<>();

    private FpingIcmpProber proberAnswering(ProcessRunner.Result result) {
        return new FpingIcmpProber("fping", (command, deadline) -> {
            commands.add(command);
            deadlines.add(deadline);
            return result;
        }, 3, Duration.ofMillis(500));
    }

    @Test
    void runsFpingWithAnArgumentArrayAndADeadlineCoveringEveryEcho() {
        proberAnswering(new ProcessRunner.Result(0,
                "192.168.1.20 : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.1/0.2/0.3\n", false)).echo(HOST);

        assertThat(commands).containsExactly(List.of("fping", "-c", "3", "-p", "100", "-t", "500", "192.168.1.20"));
        assertThat(deadlines).containsExactly(Duration.ofMillis(2 * 100 + 500 + 1000));
    }

    @Test
    void readsTheSummary() {
        IcmpProbe probe = proberAnswering(new ProcessRunner.Result(1, "192.168.1.20 : xmt/rcv/%loss = 3/0/100%\n", false))
                .echo(HOST);

        assertThat(probe).isEqualTo(new IcmpProbe(ProbeOutcome.TIMED_OUT, 3, 0, null));
    }

    @Test
    void aKilledFpingTimedOut() {
        IcmpProbe probe = proberAnswering(new ProcessRunner.Result(-1, "", true)).echo(HOST);

        assertThat(probe).isEqualTo(new IcmpProbe(ProbeOutcome.TIMED_OUT, 3, 0, null));
    }

    @Test
    void exitCodeFourMeansNoRawSocket() {
        assertThatExceptionOfType(IcmpUnavailableException.class)
                .isThrownBy(() -> proberAnswering(new ProcessRunner.Result(4, "", false)).echo(HOST))
                .withMessageContaining("may not open a raw ICMP socket (exit 4)")
                .matches(e -> !e.missingProgram());
    }

    @Test
    void anExecRefusedForLackOfCapabilityIsNotPermitted() {
        FpingIcmpProber prober = new FpingIcmpProber("fping", (command, deadline) -> {
            throw new IOException("Cannot run program \"fping\": error=1, Operation not permitted");
        }, 1, Duration.ofMillis(500));

        assertThatExceptionOfType(IcmpUnavailableException.class).isThrownBy(() -> prober.echo(HOST))
                .withMessageContaining("Operation not permitted").matches(e -> !e.missingProgram());
    }

    @Test
    void aMissingFpingIsSaidToBeMissing() {
        FpingIcmpProber prober = new FpingIcmpProber("fping", (command, deadline) -> {
            throw new IOException("Cannot run program \"fping\": error=2, No such file or directory");
        }, 1, Duration.ofMillis(500));

        assertThatExceptionOfType(IcmpUnavailableException.class).isThrownBy(() -> prober.echo(HOST))
                .withMessageContaining("fping is not installed").matches(IcmpUnavailableException::missingProgram);
    }

    @Test
    void unreadableOutputIsAFailureOfTheWorkerNotAnOutcome() {
        assertThatIllegalStateException()
                .isThrownBy(() -> proberAnswering(new ProcessRunner.Result(3, "fping: option requires an argument", false))
                        .echo(HOST))
                .withMessageContaining("fping exited 3").withMessageContaining("option requires an argument");
    }
}
