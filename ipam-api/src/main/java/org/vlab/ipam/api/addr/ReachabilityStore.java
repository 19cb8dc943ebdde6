package org.vlab.ipam.api.addr;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.ReachabilityObserved;
import reactor.core.publisher.Mono;

/** Reachability verdicts per gateway and address in Redis; an older observation never overwrites a newer one. */
@Component
public class ReachabilityStore {

    private static final RedisScript<Long> RECORD_IF_NEWER =
            RedisScript.of(new ClassPathResource("redis/record-if-newer.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;

    ReachabilityStore(ReactiveStringRedisTemplate redis, Keyspace keyspace) {
        this.redis = redis;
        this.keyspace = keyspace;
    }

    public Mono<Boolean> record(ReachabilityObserved observed) {
        List<String> args = new java.util.ArrayList<>(List.of("observed_at",
                Long.toString(observed.observedAt().toEpochMilli()), "routable", Boolean.toString(observed.routable())));
        // A worker that restarted does not know when the host last answered: keep what we knew.
        if (observed.lastSeenAlive() != null) {
            args.addAll(List.of("last_seen", observed.lastSeenAlive().toString()));
        }
        return redis.execute(RECORD_IF_NEWER,
                        List.of(keyspace.of(observed.gateway()).address(observed.address().toString())), args)
                .next().map(written -> written == 1L);
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
