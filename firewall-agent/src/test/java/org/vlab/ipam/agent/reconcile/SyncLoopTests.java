package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.events.PortMapRequested;

/**
 * The coalescing decision of the sync loop, against an iptables whose first restore blocks
 * until the test lets it go: a request starts a sync at once, and only the requests made while
 * a sync runs are served together by the next one.
 */
class SyncLoopTests {

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> restores = new CopyOnWriteArrayList<>();
    private final List<String> programs = new CopyOnWriteArrayList<>();
    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final CommandRunner iptables = (command, stdin, timeout) -> {
        programs.add(command.get(0));
        if (command.get(0).equals("iptables-restore")) {
            restores.add(stdin);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new CommandRunner.Completed(0, "", "");
    };
    private final SyncLoop loop = loop(iptables);
    private SyncLoop other;

    @AfterEach
    void stop() {
        release.countDown();
        loop.stop();
        if (other != null) {
            other.stop();
        }
    }

    /**
     * While the firewall fails (here: the xtables lock held by someone else), the requests of
     * new commands wait for the retry the back-off set, and that retry serves them all: a busy
     * gateway does not turn every command into another attempt (with the kernel state unknown
     * after a failure, each is a read back and a rewrite of every mapping).
     */
    @Test
    void requestsWhileASyncFailsWaitForTheBackOffAndTheRetryServesThemAll() throws InterruptedException {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        List<String> written = new CopyOnWriteArrayList<>();
        other = loop((command, stdin, timeout) -> {
            if (!command.get(0).equals("iptables-restore")) {
                return new CommandRunner.Completed(0, "", "");
            }
            attempts.add(System.nanoTime());
            written.add(stdin);
            return attempts.size() == 1 ? new CommandRunner.Completed(4, "",
                    "Another app is currently holding the xtables lock. Perhaps you want to use the -w option?")
                    : new CommandRunner.Completed(0, "", "");
        });
        ledger.merge(snapshot(1), POLICY);
        other.start();
        offer(create(50001, 2, "192.168.1.10"));
        long first = other.request();
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 1);

        long last = first;
        for (int port = 50002; port < 50012; port++) {
            offer(create(port, port - 50000 + 1, "192.168.1." + (port - 49990)));
            last = other.request();
        }

        assertThat(other.await(last, Duration.ofSeconds(10))).isTrue();
        assertThat(attempts).as("the failed attempt and the one retry after the back-off").hasSize(2);
        assertThat(Duration.ofNanos(attempts.get(1) - attempts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(written.get(1)).contains("--dport 50001", "--dport 50006", "--dport 50011");
    }

    /**
     * The back-off grows to the reconcile period (30 s), but a command arriving while it runs
     * waits no longer than the requested retry wait: once the firewall works again, commands are
     * applied within seconds, not at the end of a long back-off.
     */
    @Test
    void aRequestDuringALongBackOffIsTriedNoLaterThanTheRequestedRetryWait() throws InterruptedException {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        other = loop((command, stdin, timeout) -> {
            if (!command.get(0).equals("iptables-restore")) {
                return new CommandRunner.Completed(0, "", "");
            }
            attempts.add(System.nanoTime());
            return attempts.size() == 1 ? new CommandRunner.Completed(4, "",
                    "Another app is currently holding the xtables lock. Perhaps you want to use the -w option?")
                    : new CommandRunner.Completed(0, "", "");
        }, Duration.ofMillis(300));
        ledger.merge(snapshot(1), POLICY);
        other.start();
        offer(create(50001, 2, "192.168.1.10"));
        other.request();
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 1);

        offer(create(50002, 3, "192.168.1.11"));
        assertThat(other.await(other.request(), Duration.ofSeconds(10))).isTrue();

        assertThat(attempts).hasSize(2);
        assertThat(Duration.ofNanos(attempts.get(1) - attempts.get(0))).as("tried after the requested retry wait, "
                + "before the back-off's 1 s").isBetween(Duration.ofMillis(250), Duration.ofMillis(900));
    }

    private SyncLoop loop(CommandRunner runner) {
        return loop(runner, SyncLoop.REQUESTED_RETRY_WAIT);
    }

    private SyncLoop loop(CommandRunner runner, Duration requestedRetryWait) {
        return new SyncLoop(new FirewallSync(ledger, new Iptables(runner, IptablesVariant.DEFAULT),
                new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20)),
                new GatewayCondition(Clock.systemUTC()),
                new Conntrack((command, stdin, timeout) -> new CommandRunner.Completed(0, "", ""),
                        new SimpleMeterRegistry())), Duration.ofSeconds(1), requestedRetryWait);
    }

    @Test
    void aLoneRequestStartsASyncAtOnceAndRequestsDuringItAreServedTogetherByTheNext() throws InterruptedException {
        ledger.merge(snapshot(1), POLICY);
        loop.start();
        offer(create(50001, 2, "192.168.1.10"));
        long first = loop.request();
        await().atMost(Duration.ofSeconds(10)).until(() -> restores.size() == 1);

        offer(create(50002, 3, "192.168.1.11"));
        long second = loop.request();
        offer(create(50003, 4, "192.168.1.12"));
        long third = loop.request();
        release.countDown();

        assertThat(second).as("one ticket for everything asked while the first sync ran").isEqualTo(third)
                .isEqualTo(first + 1);
        assertThat(loop.await(third, Duration.ofSeconds(10))).isTrue();
        assertThat(restores).hasSize(2);
        assertThat(restores.get(0)).contains("--dport 50001").doesNotContain("--dport 50002");
        assertThat(restores.get(1)).contains("--dport 50002", "--dport 50003").doesNotContain("--dport 50001");
    }

    @Test
    void onlyTheFirstSyncAndTheReconcilesReadTheKernelBack() throws InterruptedException {
        release.countDown();
        ledger.merge(snapshot(1), POLICY);
        loop.start();
        assertThat(loop.await(loop.request(), Duration.ofSeconds(10))).isTrue();
        programs.clear();

        offer(create(50001, 2, "192.168.1.10"));
        assertThat(loop.await(loop.request(), Duration.ofSeconds(10))).isTrue();
        assertThat(programs).as("a change is written without reading the kernel").containsExactly("iptables-restore");

        assertThat(loop.await(loop.requestFull(), Duration.ofSeconds(10))).isTrue();
        assertThat(programs).as("a reconcile reads the kernel back").contains("iptables-save");
    }

    @Test
    void whenSyncedCompletesWithTheSyncThatCoversTheTicket() throws Exception {
        release.countDown();
        ledger.merge(snapshot(1), POLICY);
        loop.start();
        offer(create(50001, 2, "192.168.1.10"));

        assertThat(loop.whenSynced(loop.request()).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ledger.isSettled(create(50001, 2, "192.168.1.10"))).isTrue();
    }

    private void offer(PortMapRequested command) {
        ledger.offer(command, () -> POLICY.refusal(command.action(), command.connPort(), command.target()));
    }
}
