package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Ipv4Address;

/**
 * One mapping as the API records it, inside a {@link SnapshotTaken}. The usage fields
 * ({@code last_connection_at}, {@code last_source}, {@code connections_24h}: the latest forwarded
 * connection the gateway's log reported for the mapping, and how many in the current hour and
 * the 23 before) are all present or all absent: absent until a connection was counted.
 * {@code reason} is why a removing mapping is being removed when the API removes it by itself
 * ({@code expired}), so an agent that settles the removal from the snapshot can repeat it.
 */
public record MappingSnapshot(ConnPort connPort, PortMapTarget target, @JsonProperty(required = true) long generation,
        MappingState state, Instant lastConnectionAt, Ipv4Address lastSource,
        @JsonProperty("connections_24h") Integer connections24h, String reason) {

    public MappingSnapshot {
        Require.present(connPort, "conn_port");
        Require.present(target, "target");
        Require.generation(generation);
        Require.present(state, "state");
        if ((lastConnectionAt == null) != (lastSource == null) || (lastConnectionAt == null) != (connections24h == null)) {
            throw new IllegalArgumentException("last_connection_at, last_source and connections_24h go together");
        }
        if (connections24h != null && connections24h < 0) {
            throw new IllegalArgumentException("connections_24h must not be negative; got " + connections24h);
        }
        Require.reason(reason);
    }

    public MappingSnapshot(ConnPort connPort, PortMapTarget target, long generation, MappingState state,
            Instant lastConnectionAt, Ipv4Address lastSource, Integer connections24h) {
        this(connPort, target, generation, state, lastConnectionAt, lastSource, connections24h, null);
    }

    /** A mapping without usage, as snapshots had before usage was counted. */
    public MappingSnapshot(ConnPort connPort, PortMapTarget target, long generation, MappingState state) {
        this(connPort, target, generation, state, null, null, null, null);
    }
}
