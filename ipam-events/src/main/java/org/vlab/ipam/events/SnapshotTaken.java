package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import org.vlab.ipam.domain.GatewayId;

/**
 * A gateway's complete desired state, taken atomically at {@code generation}: the level
 * trigger that agents and health workers reconcile against.
 */
public record SnapshotTaken(GatewayId gateway, @JsonProperty(required = true) long generation, List<MappingSnapshot> mappings, Instant takenAt)
        implements IpamMessage {

    public SnapshotTaken {
        Require.present(gateway, "gateway");
        Require.generation(generation);
        mappings = Require.list(mappings, "mappings");
        Require.present(takenAt, "taken_at");
    }
}
