package org.vlab.ipam.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;

/** How conntrack's answers are read: deleted flows counted, nothing deleted is fine, a failure is counted and never thrown. */
class ConntrackTests {

    private static final ForwardedPort SSH = new ForwardedPort(ConnPort.of(50001), LabAddress.of("192.168.1.10"),
            TargetPort.of(22));
    private static final ForwardedPort RDP = new ForwardedPort(ConnPort.of(50002), LabAddress.of("192.168.1.11"),
            TargetPort.of(3389));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<List<String>> runs = Collections.synchronizedList(new ArrayList<>());

    @Test
    void deletesByConnectionPortAndTheTargetThatAnswersDnatdConnections() {
        assertThat(Conntrack.command(RDP)).containsExactly("conntrack", "-D", "-p", "tcp", "--orig-port-dst", "50002",
                "--reply-src", "192.168.1.11", "--reply-port-src", "3389", "--dst-nat");
    }

    @Test
    void aUdpForwardingsFlowsAreDeletedAsUdpWhateverItsSources() {
        ForwardedPort dns = new ForwardedPort(ConnPort.of(50003), LabAddress.of("192.168.1.12"), TargetPort.of(53),
                Protocol.UDP, AllowedSources.of(List.of("203.0.113.0/24")));

        assertThat(Conntrack.command(dns)).containsExactly("conntrack", "-D", "-p", "udp", "--orig-port-dst", "50003",
                "--reply-src", "192.168.1.12", "--reply-port-src", "53", "--dst-nat");
    }

    @Test
    void countsTheFlowsConntrackDeleted() {
        Conntrack conntrack = new Conntrack(answering(new CommandRunner.Completed(0, "tcp 6 431999 ESTABLISHED ...\n",
                "conntrack v1.4.7 (conntrack-tools): 2 flow entries have been deleted.\n")), meters);

        assertThat(conntrack.closeSessions(List.of(SSH, RDP))).isEqualTo(4);

        assertThat(runs).containsExactlyInAnyOrder(Conntrack.command(SSH), Conntrack.command(RDP));
        assertThat(meters.counter(Conntrack.FLOWS_DELETED).count()).isEqualTo(4);
        assertThat(meters.counter(Conntrack.FAILURES).count()).isZero();
    }

    @Test
    void noTrackedConnectionIsNoFailureThoughConntrackExitsWithOne() {
        Conntrack conntrack = new Conntrack(answering(new CommandRunner.Completed(1, "",
                "conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n")), meters);

        assertThat(conntrack.closeSessions(List.of(SSH))).isZero();

        assertThat(meters.counter(Conntrack.FAILURES).count()).isZero();
    }

    @Test
    void aMissingProgramOrARefusalIsCountedPerMappingAndNeverThrown() {
        Conntrack missing = new Conntrack((command, stdin, timeout) -> {
            runs.add(command);
            throw new IOException("Cannot run program \"conntrack\": error=2, No such file or directory");
        }, meters);
        assertThat(missing.closeSessions(List.of(SSH, RDP))).isZero();
        assertThat(runs).hasSize(2);

        Conntrack refused = new Conntrack(answering(new CommandRunner.Completed(1, "",
                "conntrack v1.4.7 (conntrack-tools): Operation failed: Operation not permitted\n")), meters);
        assertThat(refused.closeSessions(List.of(SSH))).isZero();

        assertThat(meters.counter(Conntrack.FAILURES).count()).isEqualTo(3);
    }

    @Test
    void runsTheDeletionsOfSeveralMappingsAtOnce() {
        int mappings = Conntrack.AT_ONCE;
        CountDownLatch allRunning = new CountDownLatch(mappings);
        Conntrack conntrack = new Conntrack((command, stdin, timeout) -> {
            runs.add(command);
            allRunning.countDown();
            try {
                // each run answers only once every one has started: run one after another, they would not
                if (!allRunning.await(10, TimeUnit.SECONDS)) {
                    return new CommandRunner.Completed(1, "", "not all deletions ran at once\n");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new CommandRunner.Completed(0, "", "conntrack v1.4.7 (conntrack-tools): 1 flow entries have been deleted.\n");
        }, meters);
        List<ForwardedPort> closed = new ArrayList<>();
        for (int i = 0; i < mappings; i++) {
            closed.add(new ForwardedPort(ConnPort.of(50100 + i), LabAddress.of("192.168.1.10"), TargetPort.of(22)));
        }

        assertThat(conntrack.closeSessions(closed)).isEqualTo(mappings);

        assertThat(runs).hasSize(mappings);
        assertThat(meters.counter(Conntrack.FAILURES).count()).isZero();
    }

    @Test
    void aCallerThatIsInterruptedStopsTheRunsItLeaves() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch stopped = new CountDownLatch(2);
        Conntrack conntrack = new Conntrack((command, stdin, timeout) -> {
            started.countDown();
            try {
                Thread.sleep(60_000); // a conntrack that hangs
            } catch (InterruptedException e) {
                stopped.countDown(); // ProcessCommandRunner kills its child here
            }
            return new CommandRunner.Completed(1, "", "killed\n");
        }, meters);
        Thread sync = new Thread(() -> conntrack.closeSessions(List.of(SSH, RDP)));
        sync.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        sync.interrupt();

        assertThat(stopped.await(10, TimeUnit.SECONDS)).as("both runs stopped").isTrue();
        sync.join(10_000);
        assertThat(sync.isAlive()).isFalse();
    }

    private CommandRunner answering(CommandRunner.Completed answer) {
        return (List<String> command, String stdin, Duration timeout) -> {
            runs.add(command);
            return answer;
        };
    }
}
