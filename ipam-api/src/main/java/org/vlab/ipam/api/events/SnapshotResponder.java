package org.vlab.ipam.api.events;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.portmap.Snapshots;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.MessagePublisher;
import org.vlab.ipam.messaging.PublishFailedException;

/**
 * Answers an agent's or worker's snapshot request from Redis, to the reply-to address it named,
 * when {@code ipam.snapshot-requesters} allows the request's RabbitMQ user that gateway.
 */
@Component
class SnapshotResponder {

    private static final Logger log = LoggerFactory.getLogger(SnapshotResponder.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Snapshots snapshots;
    private final MessagePublisher publisher;
    private final SnapshotRequesters requesters;

    SnapshotResponder(Snapshots snapshots, MessagePublisher publisher, ApiProperties properties) {
        this.snapshots = snapshots;
        this.publisher = publisher;
        this.requesters = new SnapshotRequesters(properties.snapshotRequesters());
    }

    @RabbitListener(queues = Topology.API_SNAPSHOT_QUEUE, id = "ipam-api-snapshots")
    void answer(SnapshotRequested request, Message message) {
        // The body's requester is whatever the sender wrote; the user id is what RabbitMQ checked.
        String userId = message.getMessageProperties().getReceivedUserId();
        if (!requesters.allows(userId, request.gateway())) {
            log.warn("refused the snapshot request of {} (RabbitMQ user {}) for gateway {}: not one of ipam.snapshot-requesters",
                    request.requester(), userId == null ? "not given" : userId, request.gateway());
            throw new AmqpRejectAndDontRequeueException("snapshot request of user " + userId + " for "
                    + request.gateway() + " refused");
        }
        String replyTo = message.getMessageProperties().getReplyTo();
        if (replyTo == null || replyTo.isBlank()) {
            throw new AmqpRejectAndDontRequeueException("snapshot request from " + request.requester()
                    + " for " + request.gateway() + " names no reply-to address");
        }
        SnapshotTaken snapshot = snapshots.take(request.gateway()).block(TIMEOUT);
        String correlationId = message.getMessageProperties().getCorrelationId();
        try {
            publisher.reply(snapshot, replyTo,
                    correlationId == null ? message.getMessageProperties().getMessageId() : correlationId).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof PublishFailedException failed) {
                // The requester asks again when it gets no answer; a poisoned retry loop helps nobody.
                log.warn("could not answer the snapshot request of {} for {}: {}", request.requester(),
                        request.gateway(), failed.getMessage());
                return;
            }
            throw e;
        }
        log.debug("answered snapshot request of {} for {}: generation {}, {} mappings", request.requester(),
                request.gateway(), snapshot.generation(), snapshot.mappings().size());
    }
}
