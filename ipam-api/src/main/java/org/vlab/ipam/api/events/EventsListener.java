package org.vlab.ipam.api.events;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.addr.ReachabilityStore;
import org.vlab.ipam.api.gateway.GatewayRegistry;
import org.vlab.ipam.api.portmap.AgentAnswers;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.Topology;

/**
 * Turns events into Redis state, once {@link EventAdmission} found that the publisher may speak
 * for the gateway the event is about; a refused event changes nothing and is dead-lettered with
 * its reason. Every update is idempotent (generation or timestamp checks), so redeliveries are
 * harmless; the message is acknowledged only after Redis took it, and a failure is retried with
 * back-off before the message is dead-lettered.
 */
@Component
class EventsListener {

    /** The listener's id, which {@link EventConsumers} sizes. */
    static final String ID = "ipam-api-events";

    private static final Logger log = LoggerFactory.getLogger(EventsListener.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

    private final AgentAnswers answers;
    private final GatewayRegistry registry;
    private final ReachabilityStore reachability;
    private final EventAdmission admission;
    private final RefusedMessages refused;

    EventsListener(AgentAnswers answers, GatewayRegistry registry, ReachabilityStore reachability,
            ApiProperties properties, Clock clock, RefusedMessages refused) {
        this.answers = answers;
        this.registry = registry;
        this.reachability = reachability;
        this.admission = new EventAdmission(new GatewayUsers(properties.eventPublishers()),
                properties.eventClockSkew(), clock);
        this.refused = refused;
    }

    @RabbitListener(queues = Topology.API_EVENTS_QUEUE, id = ID)
    void receive(IpamMessage event, Message message) {
        Optional<Refusal> refusal = admission.check(event, message.getMessageProperties());
        if (refusal.isPresent()) {
            refused.deadLetter(message, Topology.API_EVENTS_QUEUE, refusal.get());
            return;
        }
        // EventAdmission admits only these five types.
        if (event instanceof PortMapApplied applied) {
            log.debug("{} port {} generation {} applied: {}", applied.gateway(), applied.connPort(),
                    applied.generation(), answers.applied(applied).block(REDIS_TIMEOUT));
        } else if (event instanceof PortMapFailed failed) {
            String result = answers.failed(failed).block(REDIS_TIMEOUT);
            log.info("{} port {} generation {} failed ({}): {}", failed.gateway(), failed.connPort(),
                    failed.generation(), result, LogText.escape(failed.reason()));
        } else if (event instanceof PortMapRemoved removed) {
            log.debug("{} port {} generation {} removed: {}", removed.gateway(), removed.connPort(),
                    removed.generation(), answers.removed(removed).block(REDIS_TIMEOUT)
                    + (removed.reason() == null ? "" : " (" + removed.reason() + ")"));
        } else if (event instanceof GatewayHeartbeat heartbeat) {
            registry.record(heartbeat).block(REDIS_TIMEOUT);
        } else if (event instanceof ReachabilityObserved observed) {
            reachability.record(observed).block(REDIS_TIMEOUT);
        } else {
            throw new IllegalStateException("admitted an event the API does not consume: " + MessageType.of(event));
        }
    }
}
