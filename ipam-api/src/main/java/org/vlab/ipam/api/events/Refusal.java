package org.vlab.ipam.api.events;

/**
 * Why the API refused a message, or gave up on it: a stable reason (the metric's {@code reason}
 * tag and the dead-lettered copy's {@code x-ipam-rejection} header) and a detail for people,
 * built from already escaped text.
 */
record Refusal(Reason reason, String detail) {

    enum Reason {
        /** The routing key is not {@code gateway.<id>.<suffix>}. */
        ROUTING_KEY("routing-key"),
        /** The AMQP {@code type} is not the type the routing key's suffix stands for. */
        TYPE_MISMATCH("type-mismatch"),
        /** The body names another gateway than the routing key, which the broker's topic permissions vouch for. */
        GATEWAY_MISMATCH("gateway-mismatch"),
        /** A user pattern is configured but the message carries no {@code user_id}. */
        USER_ID_MISSING("user-id-missing"),
        /** The broker-verified {@code user_id} matches no configured pattern for the gateway. */
        USER_ID_NOT_ALLOWED("user-id-not-allowed"),
        /** A timestamp the API orders or shows by lies further in the future than the allowed clock skew. */
        FUTURE_TIMESTAMP("future-timestamp"),
        /** A snapshot request whose reply-to is not RabbitMQ's direct reply-to. */
        REPLY_TO("reply-to"),
        /** Not a message the API can read: no or unknown type, invalid JSON, a missing or invalid field. */
        UNREADABLE("unreadable"),
        /** Recording it kept failing (Redis down, say) until the retries ran out. */
        FAILED("failed");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }

    Refusal {
        if (reason == null || detail == null) {
            throw new IllegalArgumentException("a refusal needs a reason and a detail");
        }
    }
}
