package org.vlab.ipam.agent.health;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.vlab.ipam.agent.firewall.Conntrack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.vlab.ipam.agent.AgentProperties;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.CommandTimedOutException;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.reconcile.FirewallSync;
import org.vlab.ipam.agent.reconcile.GatewayCondition;
import org.vlab.ipam.agent.reconcile.PortLedger;
import org.vlab.ipam.agent.reconcile.SyncLoop;
import org.vlab.ipam.agent.reconcile.TargetPolicy;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.DeclareTopology;

/** Health follows progress: DOWN once a change has waited longer than the limit for a successful sync, UP when it went through. */
class FirewallHealthIndicatorTests {

    private static final GatewayId GATEWAY = GatewayId.of("alice");
    private final AtomicBoolean hanging = new AtomicBoolean(true);
    /** An iptables-save that times out while {@link #hanging}, else shows an empty nat and filter. */
    private final CommandRunner iptables = (command, stdin, timeout) -> {
        if (hanging.get()) {
            throw new CommandTimedOutException(command.get(0) + " did not finish within " + timeout);
        }
        return new CommandRunner.Completed(0, "", "");
    };
    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final GatewayCondition condition = new GatewayCondition(Clock.systemUTC());
    private final FirewallSync sync = new FirewallSync(ledger, new Iptables(iptables, IptablesVariant.DEFAULT),
            new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20)), condition,
            new Conntrack((c, in, t) -> new CommandRunner.Completed(0, "", ""), new SimpleMeterRegistry()));
    private final SyncLoop loop = new SyncLoop(sync, Duration.ofMillis(500));

    @AfterEach
    void stop() {
        loop.stop();
    }

    @Test
    void changesWaitingLongerThanTheLimitMakeItDownUntilASyncSucceeds() {
        FirewallHealthIndicator health = new FirewallHealthIndicator(condition, loop, sync, properties("1s"));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        ledger.merge(new SnapshotTaken(GATEWAY, 1, List.of(), Instant.now()), new TargetPolicy(
                List.of(LabNetwork.of("192.168.1.0/24")), new PortRange(50000, 50100), InterfaceName.of("eth0"), null));
        loop.start();

        loop.request();

        await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.DOWN));
        Health down = health.health();
        assertThat(down.getStatus().getDescription()).contains("for a successful firewall sync (limit 1 s)");

        hanging.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(loop.waiting()).isZero();
    }

    private static AgentProperties properties(String stallLimit) {
        return new AgentProperties(GATEWAY, "eth0", List.of(LabNetwork.of("192.168.1.0/24")), 50000, 50100, null,
                Duration.ofSeconds(30), Duration.ofSeconds(30), LogTarget.NFLOG, 5, 10, 20, DeclareTopology.ALL,
                Duration.ofSeconds(10), null, Duration.parse("PT" + stallLimit.toUpperCase()), List.of());
    }
}
