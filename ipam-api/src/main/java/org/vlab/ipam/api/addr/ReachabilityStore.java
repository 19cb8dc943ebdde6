package org.vlab.ipam.api.addr;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.api.redis.RecordIfNewer;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.ReachabilityObserved;
import reactor.core.publisher.Mono;

/** Reachability verdicts per gateway and address in Redis; an older observation never overwrites a newer one. */
@Component
public class ReachabilityStore {

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;

    ReachabilityStore(ReactiveStringRedisTemplate redis, Keyspace keyspace) {
        this.redis = redis;
        this.keyspace = keyspace;
    }

    public Mono<Boolean> record(ReachabilityObserved observed) {
        // A worker that restarted does not know when the host last answered: keep what we knew.
        List<String> fields = observed.lastSeenAlive() == null ? List.of("routable", Boolean.toString(observed.routable()))
                : List.of("routable", Boolean.toString(observed.routable()), "last_seen", observed.lastSeenAlive().toString());
        return RecordIfNewer.write(redis, keyspace.of(observed.gateway()).address(observed.address().toString()),
                "observed_at", observed.observedAt().toEpochMilli(), fields);
    }

    public Mono<Reachability> find(GatewayId gateway, LabAddress address) {
        return redis.<String, String>opsForHash().entries(keyspace.of(gateway).address(address.toString()))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(hash -> hash.containsKey("routable")
                        ? new Reachability(Boolean.valueOf(hash.get("routable")),
                                hash.containsKey("last_seen") ? Instant.parse(hash.get("last_seen")) : null)
                        : Reachability.UNKNOWN);
    }
}
