package org.vlab.ipam.agent.heartbeat;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.vlab.ipam.agent.AgentProperties;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.agent.reconcile.FirewallSync;
import org.vlab.ipam.agent.reconcile.GatewayCondition;
import org.vlab.ipam.agent.reconcile.PortLedger;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * Publishes a {@code gateway.heartbeat} at start, every heartbeat period, and at once when the
 * agent's state changes (ok or degraded, with the reason): the WAN interface's address (see
 * {@link WanAddress}), the lab networks, the backend, the rules in the agent's chains, the
 * generation the kernel reflects, and the agent's version.
 */
@Component
class HeartbeatSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final AgentProperties properties;
    private final WanAddress wan;
    private final FirewallSync sync;
    private final GatewayCondition condition;
    private final PortLedger ledger;
    private final MessagePublisher publisher;
    private final Clock clock;
    private final String version;
    private volatile ScheduledExecutorService executor;
    private volatile boolean warned;

    HeartbeatSender(AgentProperties properties, HostAddresses host, FirewallSync sync, GatewayCondition condition,
            PortLedger ledger, MessagePublisher publisher, Clock clock, ObjectProvider<BuildProperties> build) {
        this.properties = properties;
        this.wan = new WanAddress(host, properties.wanInterface(), properties.wanAddress());
        this.sync = sync;
        this.condition = condition;
        condition.onChange(this::stateChanged);
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
        BuildProperties buildProperties = build.getIfAvailable();
        this.version = buildProperties == null || buildProperties.getVersion() == null ? "unknown"
                : buildProperties.getVersion();
    }

    GatewayHeartbeat heartbeat() {
        GatewayCondition.Snapshot state = condition.current();
        String reason = state.reason() == null ? null
                : state.reason().substring(0, Math.min(state.reason().length(), GatewayHeartbeat.MAX_REASON_LENGTH));
        return new GatewayHeartbeat(properties.gatewayId(), wan.current().orElse(null), properties.lanCidrs(),
                properties.firewallBackend().wireName(),
                sync.ruleCount(), ledger.appliedGeneration(), version, clock.instant(), state.state(), reason);
    }

    /** A change of state is reported at once, off the sync thread that made it. */
    private void stateChanged(GatewayCondition.Snapshot state) {
        ScheduledExecutorService current = executor;
        if (current != null) {
            current.execute(this::send);
        }
    }

    private void send() {
        try {
            publisher.publish(heartbeat()).get(15, TimeUnit.SECONDS);
            if (warned) {
                warned = false;
                log.info("heartbeats are delivered again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (!warned) {
                warned = true;
                Throwable cause = e.getCause() == null ? e : e.getCause();
                log.warn("heartbeat not delivered: {} (logged once until one is)", cause.getMessage());
            }
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        executor = started;
        started.scheduleWithFixedDelay(this::send, 0, properties.heartbeatPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = executor;
        executor = null;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
