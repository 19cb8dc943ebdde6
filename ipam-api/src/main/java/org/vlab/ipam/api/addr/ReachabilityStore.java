package org.vlab.ipam.api.addr;

import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.api.redis.LegacyLayout;
import org.vlab.ipam.events.ReachabilityObserved;
import reactor.core.publisher.Mono;

/**
 * Reachability verdicts of a gateway's addresses, one field each of the gateway's reachability
 * hash; an older observation never overwrites a newer one.
 */
@Component
public class ReachabilityStore {

    private static final RedisScript<Long> RECORD =
            RedisScript.of(new ClassPathResource("redis/reachability-record.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;
    private final LegacyLayout legacy;

    ReachabilityStore(ReactiveStringRedisTemplate redis, Keyspace keyspace, LegacyLayout legacy) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.legacy = legacy;
    }

    /** Answers whether the observation was newer and was written. */
    public Mono<Boolean> record(ReachabilityObserved observed) {
        // A worker that restarted does not know when the host last answered: keep what we knew.
        String lastSeen = observed.lastSeenAlive() == null ? "" : observed.lastSeenAlive().toString();
        return legacy.converted().thenMany(redis.execute(RECORD, List.of(keyspace.of(observed.gateway()).reachability()),
                        List.of(observed.address().toString(), Long.toString(observed.observedAt().toEpochMilli()),
                                Boolean.toString(observed.routable()), lastSeen)))
                .next().map(written -> written == 1L);
    }
}
