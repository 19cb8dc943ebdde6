package org.vlab.ipam.events;

import java.time.Instant;
import org.vlab.ipam.domain.GatewayId;

/**
 * An agent or health worker asks for its gateway's full desired state. Sent with a reply-to
 * (RabbitMQ's direct reply-to) and a correlation id; the answer is a {@link SnapshotTaken}.
 */
public record SnapshotRequested(GatewayId gateway, String requester, Instant requestedAt) implements IpamMessage {

    public SnapshotRequested {
        Require.present(gateway, "gateway");
        Require.text(requester, "requester", 64);
        Require.present(requestedAt, "requested_at");
    }
}
