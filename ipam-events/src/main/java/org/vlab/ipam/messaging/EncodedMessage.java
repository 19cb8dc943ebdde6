package org.vlab.ipam.messaging;

import java.util.Objects;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.events.IpamMessage;

/**
 * A message with its JSON written beforehand, so a thread other than the publishing one can
 * pay for the writing (the log forwarder's reading thread does). The body is the message's
 * JSON exactly as {@link IpamMessageConverter} writes it; it is not copied, and nobody changes it.
 */
public record EncodedMessage(IpamMessage message, byte[] body) {

    public EncodedMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(body, "body");
    }

    /** Writes the message's JSON now. */
    public static EncodedMessage of(IpamMessage message) {
        return new EncodedMessage(message, IpamJson.mapper().writeValueAsBytes(message));
    }
}
