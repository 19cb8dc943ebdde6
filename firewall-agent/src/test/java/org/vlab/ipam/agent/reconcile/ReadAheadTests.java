package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.NOW;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.mapping;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.events.GatewayState;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapRequested;

/**
 * The reconciler reads the kernel back off the sync loop ({@link FirewallSync#readAhead}): a full
 * sync uses that read when no write began since it was taken, and reads nothing itself; when one
 * did, the read proves nothing, and the full sync checks nothing, at most
 * {@value FirewallSync#OVERTAKEN_MAX} times in a row. The backend is a stand-in, and these tests
 * call the read on the sync's own thread, as the reconciler's thread would between its writes;
 * {@code NftTableTests} shows the nftables backend learns nothing from a read until the sync
 * adopts it.
 */
class ReadAheadTests {

    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final StandInFirewall backend = new StandInFirewall();
    private final GatewayCondition condition = new GatewayCondition(Clock.fixed(NOW, ZoneOffset.UTC));
    private final FirewallSync sync = new FirewallSync(ledger, backend, condition,
            new Conntrack((command, stdin, timeout) -> new CommandRunner.Completed(0, "", ""), new SimpleMeterRegistry()));
    private int port = 50001;

    @BeforeEach
    void aGatewayWhoseKernelHoldsOneMapping() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        assertThat(sync.sync(true)).isTrue();
        assertThat(backend.held).hasSize(1);
    }

    @Test
    void aFullSyncUsesTheReadTakenAheadAndReadsNothingItself() {
        backend.hostProblem = HostProblemTests.DROPPING;
        sync.readAhead();
        backend.hostProblem = null;
        int reads = backend.reads;
        int looks = backend.looks;
        int adopted = backend.adopted;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads);
        assertThat(backend.adopted).as("the backend learnt what the read found").isEqualTo(adopted + 1);
        assertThat(backend.looks).isEqualTo(looks);
        assertThat(condition.current().reason()).as("the host as the read saw it").isEqualTo(HostProblemTests.DROPPING);
    }

    @Test
    void aFullSyncAWriteOvertookStillReportsTheHostAsItsReadSawIt() {
        backend.hostProblem = HostProblemTests.DROPPING;
        sync.readAhead();
        backend.hostProblem = null;
        aCreateCommitted();
        int adopted = backend.adopted;

        assertThat(sync.sync(true)).isTrue();

        assertThat(condition.current().state()).isEqualTo(GatewayState.DEGRADED);
        assertThat(condition.current().reason()).isEqualTo(HostProblemTests.DROPPING);
        assertThat(backend.adopted).as("an overtaken read is not adopted").isEqualTo(adopted);
    }

    @Test
    void driftTheReadAheadShowsIsRewrittenWithoutReadingAgain() {
        backend.held = List.of();
        sync.readAhead();
        int reads = backend.reads;
        int writes = backend.writes;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads);
        assertThat(backend.writes).isEqualTo(writes + 1);
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
    void aReadAheadAWriteCameAfterChecksNothingAndTheFullSyncAfterTooManyInARowReadsItself() {
        backend.held = List.of(); // drift that no full sync may miss for long
        for (int overtaken = 1; overtaken <= FirewallSync.OVERTAKEN_MAX; overtaken++) {
            sync.readAhead();
            aCreateCommitted();
            int reads = backend.reads;

            assertThat(sync.sync(true)).isTrue();

            assertThat(backend.reads).as("full sync %d read nothing itself", overtaken).isEqualTo(reads);
            assertThat(backend.held).as("and, having seen nothing, rewrote nothing").isEmpty();
        }
        sync.readAhead();
        aCreateCommitted();
        int reads = backend.reads;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).as("the next one reads for itself").isEqualTo(reads + 1);
        assertThat(backend.held).as("and rewrites the drift").hasSize(2 + FirewallSync.OVERTAKEN_MAX);
    }

    @Test
    void aReadAheadTakenWhileAWriteWasUnderWayChecksNothing() {
        offer(create(50002, 2, "192.168.1.11"));
        backend.duringWrite = sync::readAhead;
        assertThat(sync.sync(false)).isTrue();
        backend.duringWrite = null;
        backend.held = List.of();
        int reads = backend.reads;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.reads).isEqualTo(reads);
        assertThat(backend.held).as("the read taken during the write was not trusted either way").isEmpty();
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
