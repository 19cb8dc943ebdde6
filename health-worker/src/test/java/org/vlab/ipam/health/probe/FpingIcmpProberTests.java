package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

        assertThat(commands).containsExactly(
                List.of("fping", "-s", "-c", "3", "-p", "100", "-i", "1", "-t", "500", "192.168.1.20"));
        assertThat(deadlines).containsExactly(Duration.ofMillis(2 * 100 + 3 + 500 + 1000));
    }

    @Test
    void readsTheSummary() {
        IcmpProbe probe = proberAnswering(new ProcessRunner.Result(1, "192.168.1.20 : xmt/rcv/%loss = 3/0/100%\n", false))
                .echo(HOST);

        assertThat(probe).isEqualTo(new IcmpProbe(ProbeOutcome.TIMED_OUT, 3, 0, null));
    }

    @Test
    void aKilledFpingIsAFailureOfTheWorkerNotASilentHost() {
        assertThatExceptionOfType(ProbeFailedException.class)
                .isThrownBy(() -> proberAnswering(new ProcessRunner.Result(-1, "", true)).echo(HOST))
                .withMessageContaining("did not finish within 1703 ms");
    }

    /** What fping 5.1 prints with {@code -s -c 3} when every sendto failed (EPERM from an OUTPUT DROP rule). */
    private static final String REFUSED_SENDS = """
            192.168.1.20 : xmt/rcv/%loss = 3/0/100%

                   1 targets
                   0 alive
                   1 unreachable
                   0 unknown addresses

                   0 timeouts (waiting for response)
                   3 ICMP Echos sent
                   0 ICMP Echo Replies received
                   0 other ICMP received
            """;

    @Test
    void echoesTheKernelRefusedToSendAreAFailureOfTheWorkerNotASilentHost() {
        assertThatExceptionOfType(ProbeFailedException.class)
                .isThrownBy(() -> proberAnswering(new ProcessRunner.Result(1, REFUSED_SENDS, false)).echo(HOST))
                .withMessageContaining("refused to send 3 of 3 ICMP echoes to 192.168.1.20");
    }

    @Test
    void echoesThatTimedOutOrDrewAnIcmpErrorWereSent() {
        String silent = REFUSED_SENDS.replace("0 timeouts", "3 timeouts");
        String unreachable = "ICMP Host Unreachable from 192.168.1.1 for ICMP Echo sent to 192.168.1.20\n"
                + REFUSED_SENDS.replace("0 timeouts", "3 timeouts").replace("0 other ICMP", "2 other ICMP");

        assertThat(proberAnswering(new ProcessRunner.Result(1, silent, false)).echo(HOST).outcome())
                .isEqualTo(ProbeOutcome.TIMED_OUT);
        assertThat(proberAnswering(new ProcessRunner.Result(1, unreachable, false)).echo(HOST).outcome())
                .isEqualTo(ProbeOutcome.UNREACHABLE);
    }

    @Test
    void noFileDescriptorToStartFpingIsAFailureOfTheWorker() {
        FpingIcmpProber prober = new FpingIcmpProber("fping", (command, deadline) -> {
            throw new IOException("Cannot run program \"fping\": error=24, Too many open files");
        }, 1, Duration.ofMillis(500));

        assertThatExceptionOfType(IcmpUnavailableException.class).isThrownBy(() -> prober.echo(HOST))
                .withMessageContaining("error=24").matches(e -> !e.missingProgram());
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

    @Test
    void oneRunEchoesToAWholeChunkAndReadsEachTargetsOutcome() {
        List<Ipv4Address> chunk = Stream.of("127.0.0.1", "10.9.0.2", "10.9.0.7", "10.8.0.5", "10.9.0.1")
                .map(Ipv4Address::parse).toList();
        FpingIcmpProber prober = proberAnswering(
                new ProcessRunner.Result(1, FpingChunkReportTests.sample("chunk-alive-and-silent.txt"), false));

        Map<Ipv4Address, EchoResult> results = prober.echoAll(chunk);

        assertThat(commands).hasSize(1);
        assertThat(commands.get(0)).endsWith("127.0.0.1", "10.9.0.2", "10.9.0.7", "10.8.0.5", "10.9.0.1");
        assertThat(deadlines).containsExactly(Duration.ofMillis(2 * 100 + 5 * 3 + 500 + 1000));
        assertThat(results.keySet()).containsExactlyElementsOf(chunk);
        assertThat(results.values()).extracting(result -> result.probe().outcome()).containsExactly(
                ProbeOutcome.ANSWERED, ProbeOutcome.ANSWERED, ProbeOutcome.TIMED_OUT, ProbeOutcome.TIMED_OUT,
                ProbeOutcome.ANSWERED);
    }

    @Test
    void aTargetWhoseEchoesWereRefusedFailsAloneItsChunkmatesKeepTheirOutcomes() {
        Ipv4Address live = Ipv4Address.parse("10.9.0.2");
        Ipv4Address refused = Ipv4Address.parse("10.9.0.7");
        Map<Ipv4Address, EchoResult> results = proberAnswering(new ProcessRunner.Result(1,
                FpingChunkReportTests.sample("chunk-send-refused.txt"), false)).echoAll(List.of(live, refused));

        assertThat(results.get(live).probe().outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        assertThat(results.get(refused).failure()).isInstanceOf(ProbeFailedException.class)
                .hasMessageContaining("refused to send 2 of 2 ICMP echoes to 10.9.0.7");
    }

    @Test
    void aChunkMissingFromTheOutputOrABadExitIsAFailurePerTarget() {
        Ipv4Address absent = Ipv4Address.parse("10.9.0.3");
        Map<Ipv4Address, EchoResult> results = proberAnswering(new ProcessRunner.Result(1,
                FpingChunkReportTests.sample("chunk-alive-and-silent.txt"), false))
                .echoAll(List.of(Ipv4Address.parse("10.9.0.2"), absent));
        Map<Ipv4Address, EchoResult> badExit = proberAnswering(new ProcessRunner.Result(3,
                FpingChunkReportTests.sample("chunk-alive-and-silent.txt"), false)).echoAll(List.of(HOST));

        assertThat(results.get(absent).failure()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no summary for 10.9.0.3");
        assertThat(badExit.get(HOST).failure()).hasMessageContaining("fping exited 3");
    }
}
