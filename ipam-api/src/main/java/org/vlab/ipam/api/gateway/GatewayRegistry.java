package org.vlab.ipam.api.gateway;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.api.redis.RecordIfNewer;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.GatewayState;
import reactor.core.publisher.Mono;

/** Reads and records gateways' reports in Redis; a heartbeat older than the recorded one changes nothing. */
@Component
public class GatewayRegistry {

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;
    private final List<LabNetwork> defaultLabNetworks;

    GatewayRegistry(ReactiveStringRedisTemplate redis, Keyspace keyspace, ApiProperties properties) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.defaultLabNetworks = List.copyOf(properties.lanCidrs());
    }

    public Mono<GatewayRecord> find(GatewayId gateway) {
        return redis.<String, String>opsForHash().entries(keyspace.of(gateway).registry())
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(this::recordOf);
    }

    /** The record a registry hash holds (read with other keys of the gateway); empty: nothing reported yet. */
    public GatewayRecord recordOf(Map<String, String> hash) {
        if (!hash.containsKey("sent_at")) {
            return new GatewayRecord(null, defaultLabNetworks, false, null, null, 0, null);
        }
        String wan = hash.get("wan_address");
        String networks = hash.getOrDefault("lab_networks", "");
        List<LabNetwork> labNetworks = networks.isEmpty() ? List.of()
                : Arrays.stream(networks.split(",")).map(LabNetwork::of).toList();
        return new GatewayRecord(wan == null ? null : Ipv4Address.of(wan), labNetworks, true,
                hash.get("agent_version"), Instant.ofEpochMilli(Long.parseLong(hash.get("sent_at"))),
                Long.parseLong(hash.getOrDefault("applied_generation", "0")),
                "degraded".equals(hash.get("state")) ? hash.getOrDefault("reason", "no reason given") : null);
    }

    /** Returns whether the heartbeat was newer than the recorded one. */
    public Mono<Boolean> record(GatewayHeartbeat heartbeat) {
        List<String> fields = List.of("wan_address", heartbeat.wanAddress() == null ? "" : heartbeat.wanAddress().toString(),
                "lab_networks", heartbeat.labNetworks().stream().map(LabNetwork::toString).collect(Collectors.joining(",")),
                "backend", heartbeat.backend(), "rule_count", Integer.toString(heartbeat.ruleCount()),
                "applied_generation", Long.toString(heartbeat.appliedGeneration()),
                "agent_version", heartbeat.agentVersion(),
                // an agent that sends no state (older ones) is taken as ok: '' deletes the fields
                "state", heartbeat.state() == GatewayState.DEGRADED ? "degraded" : "",
                "reason", heartbeat.state() == GatewayState.DEGRADED && heartbeat.reason() != null ? heartbeat.reason() : "");
        return redis.opsForSet().add(keyspace.gateways(), heartbeat.gateway().value())
                .then(RecordIfNewer.write(redis, keyspace.of(heartbeat.gateway()).registry(), "sent_at",
                        heartbeat.sentAt().toEpochMilli(), fields));
    }
}
