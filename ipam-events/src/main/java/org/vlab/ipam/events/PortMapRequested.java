package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;

/**
 * The API asks a gateway's agent to create or remove one mapping. The generation orders
 * commands for one connection port: an agent ignores one not newer than what it applied.
 * A create names its target; a remove may omit it. A remove may carry a {@code reason} (such as
 * {@code expired}), which the agent repeats in its {@link PortMapRemoved}.
 */
public record PortMapRequested(GatewayId gateway, ConnPort connPort, @JsonProperty(required = true) long generation, Action action,
        PortMapTarget target, Instant requestedAt, String reason) implements IpamMessage {

    public enum Action {
        @JsonProperty("create") CREATE,
        @JsonProperty("remove") REMOVE
    }

    public PortMapRequested {
        Require.present(gateway, "gateway");
        Require.present(connPort, "conn_port");
        Require.generation(generation);
        Require.present(action, "action");
        Require.present(requestedAt, "requested_at");
        if (action == Action.CREATE) {
            Require.present(target, "target");
        }
        Require.reason(reason);
    }

    public PortMapRequested(GatewayId gateway, ConnPort connPort, long generation, Action action, PortMapTarget target,
            Instant requestedAt) {
        this(gateway, connPort, generation, action, target, requestedAt, null);
    }

    public static PortMapRequested create(GatewayId gateway, ConnPort connPort, long generation, PortMapTarget target,
            Instant requestedAt) {
        return new PortMapRequested(gateway, connPort, generation, Action.CREATE, target, requestedAt);
    }

    public static PortMapRequested remove(GatewayId gateway, ConnPort connPort, long generation, Instant requestedAt) {
        return remove(gateway, connPort, generation, requestedAt, null);
    }

    /** A removal for a reason ({@code null}: the user's own). */
    public static PortMapRequested remove(GatewayId gateway, ConnPort connPort, long generation, Instant requestedAt,
            String reason) {
        return new PortMapRequested(gateway, connPort, generation, Action.REMOVE, null, requestedAt, reason);
    }
}
