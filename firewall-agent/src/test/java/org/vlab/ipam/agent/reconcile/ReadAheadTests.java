package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.NOW;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.mapping;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.events.GatewayState;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapRequested;

/**
 * The reconciler reads the kernel back off the sync loop and compares it there with what the
 * last commit left ({@link FirewallSync#readAhead}): a full sync uses that read and its verdict
 * when no write began since, and neither reads nor compares itself. When writes did, a read
 * none came during stands, whether it shows the kernel as left or drifted (then repaired), as
 * does a read of one moment (nftables) whose overlapping writes are all remembered: it shows the
 * kernel as left, or as one of them left it, or drifted. Any other is taken again, and if none
 * counts the full sync checks nothing, at most {@value FirewallSync#OVERTAKEN_MAX} times in a
 * row (the stand-in then reads in parts, as iptables-save does). The backend is a stand-in; {@code NftTableTests} shows the nftables backend learns
 * nothing from a read until the sync adopts it, and {@code GatewayJarTests} runs the reconciler
 * on the real kernel.
 */
class ReadAheadTests {

    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final StandInFirewall backend = new StandInFirewall();
    private final GatewayCondition condition = new GatewayCondition(Clock.fixed(NOW, ZoneOffset.UTC));
    private final FirewallSync sync = backend.syncFor(ledger, condition);
    private int port = 50001;

    @BeforeEach
    void aGatewayWhoseKernelHoldsOneMapping() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        assertThat(sync.sync(true)).isTrue();
        assertThat(backend.held).hasSize(1);
    }

    @Test
    void aFullSyncUsesTheReadAndTheComparisonTakenAheadAndDoesNeitherItself() {
        aCreateCommitted();
        backend.hostProblem = HostProblemTests.DROPPING;
        sync.readAhead();
        backend.hostProblem = null;
        int reads = backend.reads;
        int compared = backend.compared;
        int adopted = backend.adopted;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads);
        assertThat(backend.compared).as("compared ahead, against what the last commit left").isEqualTo(compared);
        assertThat(backend.fullWrites).as("the kernel held it: nothing rewritten").isEqualTo(1);
        assertThat(backend.adopted).as("the backend learnt what the read found").isEqualTo(adopted + 1);
        assertThat(condition.current().reason()).as("the host as the read saw it").isEqualTo(HostProblemTests.DROPPING);
    }

    @Test
    void driftTheReadAheadShowsIsRewrittenWithoutReadingAgain() {
        backend.held = List.of();
        sync.readAhead();
        int reads = backend.reads;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads);
        assertThat(backend.fullWrites).isEqualTo(2);
        assertThat(backend.held).hasSize(1);
    }

    @Test
    void aReadAheadServesOneFullSyncOnly() {
        sync.readAhead();
        sync.sync(true);
        int reads = backend.reads;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).as("the next full sync reads for itself").isEqualTo(reads + 1);
    }

    @Test
    void whileEveryReadShowsATransactionTheFullSyncChecksNothingAndAfterTooManyInARowReadsItself() {
        backend.oneMoment = false; // a read in parts: a write during it leaves it proving nothing
        backend.held = List.of(); // drift, which no read overlapping a write can prove
        backend.duringRead = this::aCreateCommitted;
        for (int overtaken = 1; overtaken <= FirewallSync.OVERTAKEN_MAX; overtaken++) {
            sync.readAhead();
            int reads = backend.reads;
            int compared = backend.compared;

            assertThat(sync.sync(true)).isTrue();

            assertThat(backend.reads).as("full sync %d read nothing itself", overtaken).isEqualTo(reads);
            assertThat(backend.compared).as("nor compared").isEqualTo(compared);
            assertThat(backend.fullWrites).as("and, having seen nothing, rewrote nothing").isEqualTo(1);
        }
        sync.readAhead();
        backend.duringRead = null;
        int reads = backend.reads;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).as("the next one reads for itself").isEqualTo(reads + 1);
        assertThat(backend.fullWrites).as("and rewrites the drift").isEqualTo(2);
        assertThat(backend.held).hasSize(1 + (FirewallSync.OVERTAKEN_MAX + 1) * KernelReadAhead.READ_ATTEMPTS);
    }

    @Test
    void driftAReadWithNoWriteDuringItShowedIsRepairedEvenWhenWritesCameAfter() {
        backend.held = List.of();
        sync.readAhead();
        aCreateCommitted();
        int reads = backend.reads;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).as("the full sync reads again to repair").isEqualTo(reads + 1);
        assertThat(backend.fullWrites).isEqualTo(2);
        assertThat(backend.held).hasSize(2);
    }

    @Test
    void aReadOfOneMomentThatShowsTheKernelAsLeftStandsThoughATransactionCommittedDuringIt() {
        backend.duringRead = aCreateTheReadDoesNotShow();
        int reads = backend.reads;

        sync.readAhead();
        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads + 1);
        assertThat(backend.fullWrites).isEqualTo(1);
    }

    @Test
    void aReadOfOneMomentThatShowsWhatATransactionDuringItLeftCountsAtOnce() {
        backend.duringRead = this::aCreateCommitted;
        int reads = backend.reads;

        sync.readAhead();
        backend.duringRead = null;
        assertThat(backend.reads).as("read once").isEqualTo(reads + 1);
        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).as("the full sync took its word").isEqualTo(reads + 1);
        assertThat(backend.fullWrites).as("nothing had drifted: nothing rewritten").isEqualTo(1);
        assertThat(backend.held).hasSize(2);
    }

    @Test
    void aReadOfOneMomentThatShowsNeitherTheKernelAsLeftNorAsTheWritesDuringItLeftItIsDriftRepaired() {
        backend.duringRead = () -> {
            backend.duringRead = null;
            aCreateCommitted();
            backend.held = backend.held.stream().filter(forward -> forward.connPort().value() != 50001).toList();
        };
        int reads = backend.reads;

        sync.readAhead();
        assertThat(backend.reads).as("read once: it proves drift").isEqualTo(reads + 1);
        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).as("the full sync reads again to repair").isEqualTo(reads + 2);
        assertThat(backend.fullWrites).isEqualTo(2);
        assertThat(backend.held).extracting(forward -> forward.connPort().value()).containsExactlyInAnyOrder(50001, 50002);
    }

    @Test
    void aReadOfOneMomentDuringMoreWritesThanAreRememberedIsTakenAgain() {
        backend.duringRead = () -> {
            backend.duringRead = null;
            for (int write = 0; write <= WriteJournal.CAPACITY; write++) {
                aCreateCommitted();
            }
        };
        int reads = backend.reads;

        sync.readAhead();

        assertThat(backend.reads).as("the first proved nothing; the second, with no write during it, serves")
                .isEqualTo(reads + 2);
        assertThat(sync.sync(true)).isTrue();
        assertThat(backend.reads).isEqualTo(reads + 2);
        assertThat(backend.fullWrites).isEqualTo(1);
    }

    @Test
    void aReadInPartsDuringWhichATransactionCommittedIsTakenAgainWhateverItShows() {
        backend.oneMoment = false;
        backend.duringRead = aCreateTheReadDoesNotShow();
        int reads = backend.reads;

        sync.readAhead();
        assertThat(backend.reads).isEqualTo(reads + 2);
        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).as("the second read, with no write during it, serves").isEqualTo(reads + 2);
        assertThat(backend.fullWrites).as("it showed the kernel without the create: repaired").isEqualTo(2);
    }

    /** Once: a create commits while the kernel is read, and the read shows the kernel as it was before. */
    private Runnable aCreateTheReadDoesNotShow() {
        return () -> {
            backend.duringRead = null;
            List<ForwardedPort> before = backend.held;
            aCreateCommitted();
            backend.held = before;
        };
    }

    @Test
    void aReadAheadAskedForDuringASyncWaitsForItAndComparesWithWhatItLeft() throws Exception {
        offer(create(50002, 2, "192.168.1.11"));
        Thread reconciler = new Thread(sync::readAhead, "reconcile");
        backend.duringWrite = () -> {
            reconciler.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.getState() == Thread.State.BLOCKED);
        };
        assertThat(sync.sync(false)).isTrue();
        backend.duringWrite = null;
        reconciler.join(10_000);
        assertThat(reconciler.isAlive()).isFalse();
        int reads = backend.reads;
        int compared = backend.compared;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads);
        assertThat(backend.compared).isEqualTo(compared);
        assertThat(backend.fullWrites).as("the kernel held what the change left: no rewrite").isEqualTo(1);
    }

    @Test
    void aReadThatShowedTheKernelAsLeftStandsWhenWritesCameAfterIt() {
        backend.oneMoment = false; // a read in parts: a write during it leaves it proving nothing
        backend.duringRead = this::aCreateCommitted; // reads that prove nothing
        for (int overtaken = 1; overtaken <= FirewallSync.OVERTAKEN_MAX; overtaken++) {
            sync.readAhead();
            sync.sync(true);
        }
        backend.duringRead = null;
        sync.readAhead();
        aCreateCommitted();
        aCreateCommitted();
        backend.held = List.of(); // drift after the read: the next check's to find
        int reads = backend.reads;
        int compared = backend.compared;
        int adopted = backend.adopted;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads);
        assertThat(backend.compared).isEqualTo(compared);
        assertThat(backend.fullWrites).as("nothing had drifted when it read, after as many overtaken as may be")
                .isEqualTo(1);
        assertThat(backend.adopted).as("a read writes came after is not adopted").isEqualTo(adopted);

        assertThat(sync.sync(true)).isTrue();
        assertThat(backend.fullWrites).as("the next full sync reads and repairs").isEqualTo(2);
    }

    @Test
    void aReadThatShowsATransactionCommittedDuringItIsTakenAgainAndTheNextServes() {
        backend.oneMoment = false; // a read in parts: a write during it leaves it proving nothing
        backend.duringRead = () -> {
            backend.duringRead = null;
            aCreateCommitted();
        };
        int reads = backend.reads;

        sync.readAhead();
        assertThat(backend.reads).as("the first read showed the create; the second saw it as left").isEqualTo(reads + 2);
        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads + 2);
        assertThat(backend.fullWrites).isEqualTo(1);
    }

    @Test
    void whileTransactionsKeepCommittingDuringReadsTheReadIsTakenAtMostThreeTimes() {
        backend.oneMoment = false; // a read in parts: a write during it leaves it proving nothing
        backend.duringRead = this::aCreateCommitted;
        int reads = backend.reads;
        int looks = backend.looks;

        sync.readAhead();
        backend.duringRead = null;
        assertThat(backend.reads).isEqualTo(reads + KernelReadAhead.READ_ATTEMPTS);
        assertThat(backend.looks).as("the host is looked at once").isEqualTo(looks + 1);
        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).as("overtaken: the full sync checks nothing")
                .isEqualTo(reads + KernelReadAhead.READ_ATTEMPTS);
        assertThat(backend.fullWrites).isEqualTo(1);
    }

    @Test
    void aFullSyncAWriteOvertookStillReportsTheHostAsItsReadSawIt() {
        backend.oneMoment = false; // a read in parts: a write during it leaves it proving nothing
        backend.hostProblem = HostProblemTests.DROPPING;
        backend.duringRead = this::aCreateCommitted;
        sync.readAhead();
        backend.duringRead = null;
        backend.hostProblem = null;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.fullWrites).as("overtaken: checked nothing").isEqualTo(1);
        assertThat(condition.current().state()).isEqualTo(GatewayState.DEGRADED);
        assertThat(condition.current().reason()).isEqualTo(HostProblemTests.DROPPING);
    }

    @Test
    void aReadAheadThatFailsLeavesTheFullSyncToReadAndClassifyTheFailureItself() {
        backend.readRefusal = new FirewallException(FirewallException.Kind.TRANSIENT, "nft: netlink busy", null, null);
        sync.readAhead();
        backend.readRefusal = null;
        backend.held = List.of();
        int reads = backend.reads;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads + 1);
        assertThat(backend.held).hasSize(1);
    }

    private void aCreateCommitted() {
        port++;
        offer(create(port, port, "192.168.1." + (port - 49990)));
        assertThat(sync.sync(false)).isTrue();
    }

    private void offer(PortMapRequested command) {
        ledger.offer(command, () -> POLICY.refusal(command.action(), command.connPort(), command.target()));
    }
}
