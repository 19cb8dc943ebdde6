package org.vlab.ipam.messaging;

import java.util.UUID;

/**
 * The AMQP properties a publisher sets beside the body: a message id (generated, or derived
 * from the content so consumers can drop duplicates) and the correlation id of the REST
 * request that caused the message, if any.
 */
public record MessageMetadata(String messageId, String correlationId) {

    public MessageMetadata {
        if (messageId == null || messageId.isBlank() || messageId.length() > 255) {
            throw new IllegalArgumentException("message id must be 1-255 characters");
        }
        if (correlationId != null && correlationId.length() > 255) {
            throw new IllegalArgumentException("correlation id must be at most 255 characters");
        }
    }

    public static MessageMetadata generated() {
        return new MessageMetadata(UUID.randomUUID().toString(), null);
    }

    public static MessageMetadata correlatedWith(String correlationId) {
        return new MessageMetadata(UUID.randomUUID().toString(), correlationId);
    }
}
