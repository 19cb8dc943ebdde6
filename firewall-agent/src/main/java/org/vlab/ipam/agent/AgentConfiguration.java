package org.vlab.ipam.agent;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesFirewall;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.firewall.ProcessCommandRunner;
import org.vlab.ipam.agent.firewall.ReservedPorts;
import org.vlab.ipam.agent.firewall.RestoreStream;
import org.vlab.ipam.agent.health.TimedFirewall;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.agent.host.RecentHostAddresses;
import org.vlab.ipam.agent.nftables.HostForwardPolicy;
import org.vlab.ipam.agent.nftables.Nft;
import org.vlab.ipam.agent.nftables.NftRenderer;
import org.vlab.ipam.agent.nftables.NftStream;
import org.vlab.ipam.agent.nftables.NftablesFirewall;
import org.vlab.ipam.agent.reconcile.AnswerPublisher;
import org.vlab.ipam.agent.reconcile.FirewallSync;
import org.vlab.ipam.agent.reconcile.GatewayCondition;
import org.vlab.ipam.agent.reconcile.PortLedger;
import org.vlab.ipam.agent.reconcile.Reconciler;
import org.vlab.ipam.agent.reconcile.SyncLoop;
import org.vlab.ipam.agent.reconcile.TargetPolicy;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.messaging.MessagePublisher;
import org.vlab.ipam.messaging.SnapshotClient;

/** Wires the reconciler from the properties: ledger, policy, the firewall backend, the sync loop and the snapshot source. */
@Configuration(proxyBeanMethods = false)
class AgentConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PortLedger portLedger(AgentProperties properties) {
        return new PortLedger(properties.gatewayId());
    }

    /** Fails the start, before anything touches the host, when a lab network overlaps the WAN network. */
    @Bean
    LabNetworksCheck labNetworksCheck(AgentProperties properties, HostAddresses host) {
        return new LabNetworksCheck(properties, host);
    }

    /** How long the host's addresses read for one command's check serve the next ones. */
    static final Duration HOST_ADDRESSES_MAX_AGE = Duration.ofSeconds(1);

    @Bean
    TargetPolicy targetPolicy(AgentProperties properties, HostAddresses host) {
        return new TargetPolicy(properties.lanCidrs(), properties.portRange(), properties.ruleOptions().wanInterface(),
                new RecentHostAddresses(host, HOST_ADDRESSES_MAX_AGE));
    }

    @Bean
    GatewayCondition gatewayCondition(Clock clock) {
        return new GatewayCondition(clock);
    }

    /**
     * The configured backend, timed; only the iptables one detects (and so runs) the host's
     * iptables variant. Closed with the context (the iptables backend's long-lived restore).
     */
    @Bean
    Firewall firewallBackend(AgentProperties properties, MeterRegistry meters) {
        return new TimedFirewall(backend(properties), meters);
    }

    private static Firewall backend(AgentProperties properties) {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        return switch (properties.firewallBackend()) {
            case IPTABLES -> {
                IptablesVariant variant = IptablesVariant.detect(runner);
                yield new IptablesFirewall(new Iptables(runner, variant), new RuleBuilder(properties.ruleOptions()),
                        RestoreStream.forVariant(variant, runner));
            }
            case NFTABLES -> new NftablesFirewall(new Nft(runner), new NftRenderer(properties.ruleOptions()),
                    new HostForwardPolicy(runner), NftStream.available(runner));
        };
    }

    @Bean
    FirewallSync firewallSync(PortLedger ledger, Firewall firewall, GatewayCondition condition, MeterRegistry meters) {
        return new FirewallSync(ledger, firewall, condition, new Conntrack(new ProcessCommandRunner(), meters));
    }

    @Bean
    SyncLoop syncLoop(FirewallSync sync, AgentProperties properties) {
        return new SyncLoop(sync, properties.reconcilePeriod());
    }

    @Bean
    AnswerPublisher answerPublisher(MessagePublisher publisher) {
        return new AnswerPublisher(publisher);
    }

    @Bean(destroyMethod = "close")
    SnapshotClient snapshotClient(CachingConnectionFactory connectionFactory, AgentProperties properties, Clock clock) {
        return new SnapshotClient(connectionFactory, properties.gatewayId(), "firewall-agent", clock,
                properties.snapshotTimeout());
    }

    @Bean
    Reconciler reconciler(SnapshotClient snapshots, PortLedger ledger, TargetPolicy policy, SyncLoop loop,
            AnswerPublisher answers, ApplicationEventPublisher events, AgentProperties properties, Clock clock,
            CachingConnectionFactory connectionFactory) {
        Reconciler reconciler = new Reconciler(snapshots::request, ledger, policy, loop, answers, events,
                new Reconciler.Settings(properties.portRange(), properties.reconcilePeriod(),
                        new ReservedPorts(ReservedPorts.KERNEL_FILE), clock));
        // what waited for the firewall while it failed is answered by the reconcile after it recovers
        loop.onRecovery(() -> reconciler.request("firewall sync recovered"));
        // every connection after the first follows a broker outage, during which answers may have been lost
        AtomicInteger connections = new AtomicInteger();
        connectionFactory.addConnectionListener(connection -> {
            if (connections.incrementAndGet() > 1) {
                reconciler.request("broker reconnected");
            }
        });
        return reconciler;
    }
}
