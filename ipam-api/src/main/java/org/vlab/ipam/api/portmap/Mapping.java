package org.vlab.ipam.api.portmap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapTarget;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One port mapping as Redis records it. {@code error} is set only when it failed: a removal the
 * agent could not make, or a mapping the agent {@code refused} after it had applied it (its lab
 * networks no longer hold the target, say); {@code removalReason} only while the API removes it
 * by itself ({@code expired}).
 */
public record Mapping(ConnPort connPort, PortMapTarget target, MappingState state, long generation, Instant created,
        String error, String removalReason, boolean refused) {

    /** Reads the JSON the create script wrote (a field of the gateway's mappings hash); values were validated before. */
    static Mapping fromJson(String json) {
        JsonNode node = JsonMapper.shared().readTree(json);
        PortMapTarget target = new PortMapTarget(LabAddress.of(node.get("target_addr").asString()),
                TargetPort.of(node.get("target_port").asInt()), MachineName.of(node.get("name").asString()),
                Component.of(node.get("component").asString()), protocol(node), allowedSources(node));
        JsonNode error = node.get("error");
        JsonNode removalReason = node.get("removal_reason");
        JsonNode refused = node.get("refused");
        return new Mapping(ConnPort.of(node.get("conn_port").asInt()), target,
                MappingState.valueOf(node.get("state").asString().toUpperCase(Locale.ROOT)),
                node.get("generation").asLong(), Instant.parse(node.get("created").asString()),
                error == null ? null : error.asString(), removalReason == null ? null : removalReason.asString(),
                refused != null && refused.asBoolean());
    }

    /** Absent (at the default, or written before the field existed): tcp. */
    private static Protocol protocol(JsonNode node) {
        JsonNode protocol = node.get("protocol");
        return protocol == null ? Protocol.TCP : Protocol.of(protocol.asString());
    }

    /** Absent (at the default, or written before the field existed): every source. */
    private static AllowedSources allowedSources(JsonNode node) {
        JsonNode sources = node.get("allowed_sources");
        if (sources == null) {
            return AllowedSources.ANY;
        }
        List<String> cidrs = new ArrayList<>(sources.size());
        sources.forEach(cidr -> cidrs.add(cidr.asString()));
        return AllowedSources.of(cidrs);
    }

    public MappingSnapshot snapshot() {
        return new MappingSnapshot(connPort, target, generation, stateForAgent(), null, null, null, removalReason);
    }

    /** The snapshot entry with the mapping's usage, or without any when {@code usage} is null. */
    MappingSnapshot snapshot(MappingUsage usage) {
        return usage == null ? snapshot() : new MappingSnapshot(connPort, target, generation, stateForAgent(),
                usage.lastConnectionInstant(), Ipv4Address.parse(usage.lastSource()), usage.connections24h(),
                removalReason);
    }

    /**
     * What the agent is asked for: a mapping it refused after applying it is still wanted, so it
     * goes to the agent as pending, which the agent answers applied once its policy takes it again
     * (and failed while it does not, which changes nothing unless the reason is another).
     */
    MappingState stateForAgent() {
        return state == MappingState.FAILED && refused ? MappingState.PENDING : state;
    }
}
