package org.vlab.ipam.messaging;

/** A message was not confirmed by the broker; {@link #reason()} tells whether a retry can help. */
public final class PublishFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No connection, or the connection broke before the confirm. */
        BROKER_UNREACHABLE,
        /** No queue is bound for the routing key yet (the mandatory flag returned it). */
        UNROUTABLE,
        /** The broker refused the message (negative acknowledgement). */
        REFUSED,
        /** No confirm arrived in time. */
        TIMED_OUT
    }

    private final Reason reason;

    public PublishFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
