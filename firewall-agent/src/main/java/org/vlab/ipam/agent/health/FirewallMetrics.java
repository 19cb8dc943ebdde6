package org.vlab.ipam.agent.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import org.springframework.stereotype.Component;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.reconcile.FirewallSync;
import org.vlab.ipam.agent.reconcile.GatewayCondition;
import org.vlab.ipam.agent.reconcile.SyncLoop;
import org.vlab.ipam.events.GatewayState;

/** The agent's firewall meters, read when scraped from the sync's own counters. */
@Component
class FirewallMetrics implements MeterBinder {

    private final GatewayCondition condition;
    private final SyncLoop loop;
    private final FirewallSync sync;

    FirewallMetrics(GatewayCondition condition, SyncLoop loop, FirewallSync sync) {
        this.condition = condition;
        this.loop = loop;
        this.sync = sync;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ipam.agent.degraded", condition,
                        c -> c.current().state() == GatewayState.DEGRADED ? 1 : 0)
                .description("1 while a host-wide firewall error blocks every transaction").register(registry);
        Gauge.builder("ipam.agent.sync.waiting", loop, l -> l.waiting().toMillis() / 1000.0).baseUnit("seconds")
                .description("how long the oldest change has waited for a successful sync").register(registry);
        Gauge.builder("ipam.agent.rules", sync, FirewallSync::ruleCount)
                .description("rules in the agent's chains after the last committed sync").register(registry);
        FunctionCounter.builder("ipam.agent.transactions", sync, FirewallSync::transactions)
                .description("firewall transactions committed (iptables-restore or nft -f)").register(registry);
        for (Kind kind : Kind.values()) {
            FunctionCounter.builder("ipam.agent.sync.failures", condition, c -> c.failures(kind))
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .description("failed syncs by kind: transient (retried), refused, unavailable").register(registry);
        }
    }
}
