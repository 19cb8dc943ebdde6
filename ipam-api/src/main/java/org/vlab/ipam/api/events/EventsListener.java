package org.vlab.ipam.api.events;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitHandler;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.addr.ReachabilityStore;
import org.vlab.ipam.api.gateway.GatewayRegistry;
import org.vlab.ipam.api.portmap.AgentAnswers;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.Topology;

/**
 * Turns events into Redis state. Every update is idempotent (generation or timestamp
 * checks), so redeliveries are harmless; the message is acknowledged only after Redis took
 * it, and a failure is retried with back-off before the message is dead-lettered.
 */
@Component
@RabbitListener(queues = Topology.API_EVENTS_QUEUE, id = "ipam-api-events")
class EventsListener {

    private static final Logger log = LoggerFactory.getLogger(EventsListener.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

    private final AgentAnswers answers;
    private final GatewayRegistry registry;
    private final ReachabilityStore reachability;

    EventsListener(AgentAnswers answers, GatewayRegistry registry, ReachabilityStore reachability) {
        this.answers = answers;
        this.registry = registry;
        this.reachability = reachability;
    }

    @RabbitHandler
    void applied(PortMapApplied event) {
        log.debug("{} port {} generation {} applied: {}", event.gateway(), event.connPort(), event.generation(),
                answers.applied(event).block(REDIS_TIMEOUT));
    }

    @RabbitHandler
    void failed(PortMapFailed event) {
        String result = answers.failed(event).block(REDIS_TIMEOUT);
        log.info("{} port {} generation {} failed ({}): {}", event.gateway(), event.connPort(), event.generation(),
                result, event.reason());
    }

    @RabbitHandler
    void removed(PortMapRemoved event) {
        log.debug("{} port {} generation {} removed: {}", event.gateway(), event.connPort(), event.generation(),
                answers.removed(event).block(REDIS_TIMEOUT));
    }

    @RabbitHandler
    void heartbeat(GatewayHeartbeat heartbeat) {
        registry.record(heartbeat).block(REDIS_TIMEOUT);
    }

    @RabbitHandler
    void reachability(ReachabilityObserved observed) {
        reachability.record(observed).block(REDIS_TIMEOUT);
    }
}
