package org.vlab.ipam.api.portmap;

import java.time.Instant;
import java.util.Map;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapTarget;

/** One port mapping as Redis records it. {@code error} is set only when a removal failed. */
public record Mapping(ConnPort connPort, PortMapTarget target, MappingState state, long generation, Instant created,
        String error) {

    /** Reads the hash written by the create script; values were validated before they were written. */
    static Mapping fromHash(Map<String, String> hash) {
        PortMapTarget target = new PortMapTarget(LabAddress.of(hash.get("target_addr")),
                TargetPort.of(Integer.parseInt(hash.get("target_port"))), MachineName.of(hash.get("name")),
                Component.of(hash.get("component")));
        return new Mapping(ConnPort.of(Integer.parseInt(hash.get("conn_port"))), target,
                MappingState.valueOf(hash.get("state").toUpperCase(java.util.Locale.ROOT)),
                Long.parseLong(hash.get("generation")), Instant.parse(hash.get("created")), hash.get("error"));
    }

    public MappingSnapshot snapshot() {
        return new MappingSnapshot(connPort, target, generation, state);
    }
}
