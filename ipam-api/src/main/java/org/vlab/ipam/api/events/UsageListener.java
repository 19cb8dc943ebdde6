package org.vlab.ipam.api.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListenerConfigurer;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistrar;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.events.Refusal.Reason;
import org.vlab.ipam.api.usage.ForwardedConnections;
import org.vlab.ipam.api.usage.UsageRecorder;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.Topology;

/**
 * Counts the forwarded connections of the log forwarders' batches (queue {@code ipam.api.usage}).
 * The body is read record by record, so a malformed or foreign record is dropped alone; the batch
 * is then admitted like an event (routing key {@code gateway.<id>.forward}, type
 * {@code firewall.log-batch}, body of the key's gateway, publisher one of
 * {@code ipam.usage.publishers}), else dead-lettered with its reason and nothing of it counts.
 * At least once: the recorder counts a batch id once, so a redelivery changes nothing. Registered
 * as a plain message listener on the default container factory (so with the same retries and
 * dead-lettering recoverer as the others), because a {@code @RabbitListener} converts the whole
 * body first, and one bad record would make the batch unreadable.
 */
@Component
@ConditionalOnBooleanProperty(name = "ipam.usage.enabled", matchIfMissing = true)
class UsageListener implements RabbitListenerConfigurer {

    private static final Logger log = LoggerFactory.getLogger(UsageListener.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);
    private static final String TYPE = MessageType.FIREWALL_LOG_BATCH.wireName();

    private final UsageRecorder recorder;
    private final EventAdmission admission;
    private final RefusedMessages refused;
    private final Duration clockSkew;
    private final Clock clock;

    UsageListener(UsageRecorder recorder, ApiProperties properties, Clock clock, RefusedMessages refused) {
        this.recorder = recorder;
        this.admission = new EventAdmission(EnumSet.of(MessageType.FIREWALL_LOG_BATCH),
                new GatewayUsers(properties.usage().publishers()), properties.eventClockSkew(), clock);
        this.refused = refused;
        this.clockSkew = properties.eventClockSkew();
        this.clock = clock;
    }

    @Override
    public void configureRabbitListeners(RabbitListenerEndpointRegistrar registrar) {
        SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
        endpoint.setId("ipam-api-usage");
        endpoint.setQueueNames(Topology.API_USAGE_QUEUE);
        endpoint.setMessageListener(this::receive);
        registrar.registerEndpoint(endpoint);
    }

    void receive(Message message) {
        MessageProperties properties = message.getMessageProperties();
        if (!TYPE.equals(properties.getType())) {
            refuse(message, Reason.TYPE_MISMATCH, "type " + LogText.escape(properties.getType())
                    + " on the log queue, expected " + TYPE);
            return;
        }
        Instant now = clock.instant();
        ForwardedConnections batch;
        try {
            batch = ForwardedConnections.read(message.getBody(), now.plus(clockSkew));
        } catch (IllegalArgumentException e) {
            refuse(message, Reason.UNREADABLE, LogText.escape(e.getMessage()));
            return;
        }
        Optional<Refusal> refusal = admission.check(batch.batch(), properties);
        if (refusal.isPresent()) {
            refused.deadLetter(message, Topology.API_USAGE_QUEUE, refusal.get());
            return;
        }
        UsageRecorder.Outcome outcome = recorder.record(batch, now).block(REDIS_TIMEOUT);
        log.debug("{} batch {}: {}, dropped {}", batch.batch().gateway(), LogText.escape(batch.batchId()), outcome,
                batch.dropped());
    }

    private void refuse(Message message, Reason reason, String detail) {
        refused.deadLetter(message, Topology.API_USAGE_QUEUE, new Refusal(reason, detail));
    }
}
