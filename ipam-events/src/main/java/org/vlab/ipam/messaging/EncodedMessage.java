package org.vlab.ipam.messaging;

import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.FirewallLogBatchJson;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.events.IpamMessage;

/**
 * A message with its JSON written beforehand, so a thread other than the publishing one can
 * pay for the writing (the log forwarder's reading thread does). Only {@link #of} makes one,
 * so the body is always the message's own JSON, exactly as {@link IpamMessageConverter} writes it
 * (a log batch's by {@link FirewallLogBatchJson}, byte for byte what the mapper would write).
 */
public final class EncodedMessage {

    private final IpamMessage message;
    private final byte[] body;

    private EncodedMessage(IpamMessage message, byte[] body) {
        this.message = message;
        this.body = body;
    }

    /** Writes the message's JSON now. */
    public static EncodedMessage of(IpamMessage message) {
        if (message == null) {
            throw new IllegalArgumentException("message is required");
        }
        return new EncodedMessage(message, message instanceof FirewallLogBatch batch ? FirewallLogBatchJson.write(batch)
                : IpamJson.mapper().writeValueAsBytes(message));
    }

    public IpamMessage message() {
        return message;
    }

    /** The JSON itself, not a copy: the publishers hand it to the client as it is, and nobody changes it. */
    byte[] body() {
        return body;
    }

    @Override
    public String toString() {
        return "EncodedMessage[" + message + ", " + body.length + " bytes]";
    }
}
