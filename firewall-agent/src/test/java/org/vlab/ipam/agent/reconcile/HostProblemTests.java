package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.NOW;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.events.GatewayState;
import org.vlab.ipam.events.PortMapRequested;

/**
 * What the sync does with a backend's report that the host's own firewall drops what the
 * agent's rules accept: the gateway is degraded with that reason until a full sync finds it
 * gone, a failing sync's own reason comes first, and syncs of changes do not ask. The backend is
 * a stand-in; the real check is in {@code HostForwardPolicyTests} and {@code GatewayJarTests}.
 */
class HostProblemTests {

    static final String DROPPING = "the host's iptables-nft FORWARD chain has the policy DROP and no rule accepting "
            + "the mark 0x00100000: connections through every mapping are dropped; add: iptables -I FORWARD ...";

    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final StandInFirewall backend = new StandInFirewall();
    private final GatewayCondition condition = new GatewayCondition(Clock.fixed(NOW, ZoneOffset.UTC));
    private final FirewallSync sync = backend.syncFor(ledger, condition);

    @Test
    void aFullSyncThatFindsTheHostDroppingDegradesTheGatewayUntilOneFindsItNoLonger() {
        ledger.merge(snapshot(1), POLICY);
        backend.hostProblem = DROPPING;

        assertThat(sync.sync(true)).as("the rules themselves committed").isTrue();
        assertThat(condition.current().state()).isEqualTo(GatewayState.DEGRADED);
        assertThat(condition.current().reason()).isEqualTo(DROPPING);

        backend.hostProblem = null;
        assertThat(sync.sync(true)).isTrue();
        assertThat(condition.current().state()).isEqualTo(GatewayState.OK);
        assertThat(condition.current().reason()).isNull();
    }

    @Test
    void aSyncThatCannotCommitIsReportedBeforeTheHostAndTheHostAgainOnceItCommits() {
        ledger.merge(snapshot(1), POLICY);
        backend.hostProblem = DROPPING;
        sync.sync(true);
        offer(create(50001, 2, "192.168.1.10"));
        backend.refusal = new FirewallException(FirewallException.Kind.REFUSED, "iptables-restore: line 3 failed", null,
                null);

        assertThat(sync.sync(false)).isFalse();
        assertThat(condition.current().reason()).isEqualTo("iptables-restore: line 3 failed");

        backend.refusal = null;
        assertThat(sync.sync(false)).isTrue();
        assertThat(condition.current().reason()).isEqualTo(DROPPING);
    }

    @Test
    void onlyFullSyncsLookAtTheHost() {
        ledger.merge(snapshot(1), POLICY);
        sync.sync(true);
        int looks = backend.looks;

        offer(create(50001, 2, "192.168.1.10"));
        assertThat(sync.sync(false)).isTrue();

        assertThat(backend.looks).isEqualTo(looks);
    }

    private void offer(PortMapRequested command) {
        ledger.offer(command, () -> POLICY.refusal(command.action(), command.connPort(), command.target()));
    }
}
