package org.vlab.ipam.api.events;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.events.Refusal.Reason;
import org.vlab.ipam.api.portmap.Snapshots;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.MessagePublisher;
import org.vlab.ipam.messaging.PublishFailedException;

/**
 * Answers an agent's or worker's snapshot request from Redis, when {@code ipam.snapshot-requesters}
 * allows the request's RabbitMQ user that gateway, and only to RabbitMQ's direct reply-to: any
 * other reply-to would let a requester make the API publish a gateway's mappings to a queue of
 * its choosing. Refused requests are unanswered and dead-lettered with their reason.
 */
@Component
class SnapshotResponder {

    /** RabbitMQ's direct reply-to pseudo-queue and the per-channel names it hands out. */
    static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

    private static final Logger log = LoggerFactory.getLogger(SnapshotResponder.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Snapshots snapshots;
    private final MessagePublisher publisher;
    private final GatewayUsers requesters;
    private final RefusedMessages refused;

    SnapshotResponder(Snapshots snapshots, MessagePublisher publisher, ApiProperties properties,
            RefusedMessages refused) {
        this.snapshots = snapshots;
        this.publisher = publisher;
        this.requesters = new GatewayUsers(properties.snapshotRequesters());
        this.refused = refused;
    }

    /** Names under {@code amq.} are reserved for the broker, so no client queue can pose as one of these. */
    static boolean isDirectReplyTo(String replyTo) {
        return replyTo != null && (replyTo.equals(DIRECT_REPLY_TO) || replyTo.startsWith(DIRECT_REPLY_TO + "."));
    }

    @RabbitListener(queues = Topology.API_SNAPSHOT_QUEUE, id = "ipam-api-snapshots")
    void answer(SnapshotRequested request, Message message) {
        MessageProperties properties = message.getMessageProperties();
        // The body's requester is whatever the sender wrote; the user id is what RabbitMQ checked.
        String userId = properties.getReceivedUserId();
        String replyTo = properties.getReplyTo();
        if (!requesters.allows(userId, request.gateway())) {
            refused.deadLetter(message, Topology.API_SNAPSHOT_QUEUE, new Refusal(
                    userId == null ? Reason.USER_ID_MISSING : Reason.USER_ID_NOT_ALLOWED,
                    "requester " + LogText.escape(request.requester()) + " (user " + LogText.escape(userId)
                            + ") may not read gateway " + request.gateway() + ": not one of ipam.snapshot-requesters"));
            return;
        }
        if (!isDirectReplyTo(replyTo)) {
            refused.deadLetter(message, Topology.API_SNAPSHOT_QUEUE, new Refusal(Reason.REPLY_TO,
                    "reply-to " + LogText.escape(replyTo) + " of requester " + LogText.escape(request.requester())
                            + " is not RabbitMQ's direct reply-to " + DIRECT_REPLY_TO + ".*"));
            return;
        }
        SnapshotTaken snapshot = snapshots.take(request.gateway()).block(TIMEOUT);
        String correlationId = properties.getCorrelationId();
        try {
            publisher.reply(snapshot, replyTo, correlationId == null ? properties.getMessageId() : correlationId).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof PublishFailedException failed) {
                // The requester asks again when it gets no answer; a poisoned retry loop helps nobody.
                log.warn("could not answer the snapshot request of {} for {}: {}", LogText.escape(request.requester()),
                        request.gateway(), LogText.escape(failed.getMessage()));
                return;
            }
            throw e;
        }
        log.debug("answered snapshot request of {} for {}: generation {}, {} mappings",
                LogText.escape(request.requester()), request.gateway(), snapshot.generation(),
                snapshot.mappings().size());
    }
}
