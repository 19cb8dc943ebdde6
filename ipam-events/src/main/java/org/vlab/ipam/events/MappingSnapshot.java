package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.vlab.ipam.domain.ConnPort;

/** One mapping as the API records it, inside a {@link SnapshotTaken}. */
public record MappingSnapshot(ConnPort connPort, PortMapTarget target, @JsonProperty(required = true) long generation, MappingState state) {

    public MappingSnapshot {
        Require.present(connPort, "conn_port");
        Require.present(target, "target");
        Require.generation(generation);
        Require.present(state, "state");
    }
}
