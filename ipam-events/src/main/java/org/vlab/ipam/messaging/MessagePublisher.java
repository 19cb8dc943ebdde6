package org.vlab.ipam.messaging;

import java.util.concurrent.CompletableFuture;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.SnapshotTaken;

/**
 * Publishes messages persistently to their exchange and routing key. Each future completes
 * only once the broker confirmed the message, and fails with {@link PublishFailedException}
 * when it could not be routed, was refused, or the broker could not be reached.
 */
public interface MessagePublisher {

    CompletableFuture<Void> publish(IpamMessage message, MessageMetadata metadata);

    /**
     * Publishes a message whose JSON was written beforehand, on another thread. Publishers that
     * override this send those bytes, so the publishing thread writes no JSON; this default
     * publishes the message as {@link #publish(IpamMessage, MessageMetadata)} does, JSON and all.
     */
    default CompletableFuture<Void> publish(EncodedMessage encoded, MessageMetadata metadata) {
        return publish(encoded.message(), metadata);
    }

    default CompletableFuture<Void> publish(IpamMessage message) {
        return publish(message, MessageMetadata.generated());
    }

    /** Answers a request that named a reply-to address (RabbitMQ's direct reply-to). */
    CompletableFuture<Void> reply(SnapshotTaken snapshot, String replyTo, String correlationId);
}
