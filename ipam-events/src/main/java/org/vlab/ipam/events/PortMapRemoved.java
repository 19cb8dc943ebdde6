package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;

/**
 * The agent removed a mapping's rules; only now may the connection port be handed out again.
 * {@code reason}, when the removal command gave one (such as {@code expired} for a lease that
 * ran out), says why; absent for a removal the user asked for, as before it existed.
 */
public record PortMapRemoved(GatewayId gateway, ConnPort connPort, @JsonProperty(required = true) long generation, Instant removedAt,
        String reason) implements IpamMessage {

    public PortMapRemoved {
        Require.present(gateway, "gateway");
        Require.present(connPort, "conn_port");
        Require.generation(generation);
        Require.present(removedAt, "removed_at");
        Require.reason(reason);
    }

    public PortMapRemoved(GatewayId gateway, ConnPort connPort, long generation, Instant removedAt) {
        this(gateway, connPort, generation, removedAt, null);
    }
}
