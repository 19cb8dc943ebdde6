package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;

/** The agent removed a mapping's rules; only now may the connection port be handed out again. */
public record PortMapRemoved(GatewayId gateway, ConnPort connPort, @JsonProperty(required = true) long generation, Instant removedAt)
        implements IpamMessage {

    public PortMapRemoved {
        Require.present(gateway, "gateway");
        Require.present(connPort, "conn_port");
        Require.generation(generation);
        Require.present(removedAt, "removed_at");
    }
}
