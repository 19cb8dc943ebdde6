package org.vlab.ipam.agent.health;

import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;
import org.vlab.ipam.agent.AgentProperties;
import org.vlab.ipam.agent.reconcile.FirewallSync;
import org.vlab.ipam.agent.reconcile.GatewayCondition;
import org.vlab.ipam.agent.reconcile.SyncLoop;
import org.vlab.ipam.events.GatewayState;

/**
 * The {@code firewall} health component, tied to progress like kube-proxy's healthz: DOWN while
 * the gateway is degraded, and while a change has waited longer than {@code IPAM_SYNC_STALL_LIMIT}
 * for a successful sync (a lock never released, an iptables that hangs); UP otherwise, also
 * when nothing changes. The reason is the status description, so it shows without details.
 * Not part of liveness: restarting the agent cannot fix the host's firewall.
 */
@Component("firewall")
class FirewallHealthIndicator implements HealthIndicator {

    private final GatewayCondition condition;
    private final SyncLoop loop;
    private final FirewallSync sync;
    private final Duration stallLimit;

    FirewallHealthIndicator(GatewayCondition condition, SyncLoop loop, FirewallSync sync, AgentProperties properties) {
        this.condition = condition;
        this.loop = loop;
        this.sync = sync;
        this.stallLimit = properties.syncStallLimit();
    }

    @Override
    public Health health() {
        GatewayCondition.Snapshot state = condition.current();
        Duration waiting = loop.waiting();
        Health.Builder health;
        if (state.state() == GatewayState.DEGRADED) {
            health = Health.status(new Status(Status.DOWN.getCode(), "degraded since " + state.since() + ": "
                    + state.reason()));
        } else if (waiting.compareTo(stallLimit) > 0) {
            health = Health.status(new Status(Status.DOWN.getCode(), "changes have waited " + waiting.toSeconds()
                    + " s for a successful firewall sync (limit " + stallLimit.toSeconds() + " s)"));
        } else {
            health = Health.up();
        }
        return health.withDetail("rules", sync.ruleCount()).withDetail("transactions", sync.transactions())
                .withDetail("waiting_seconds", waiting.toSeconds()).build();
    }
}
