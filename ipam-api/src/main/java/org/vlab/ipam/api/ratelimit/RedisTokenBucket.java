package org.vlab.ipam.api.ratelimit;

import java.time.Duration;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * A token bucket per user in Redis, taken from by one atomic Lua script on Redis's clock, so
 * every replica of the API draws on the same budget. The key
 * {@code <prefix>ratelimit:{<username>}} expires once the bucket would be full again.
 */
final class RedisTokenBucket {

    private static final RedisScript<Long> TAKE = RedisScript.of(
            new ClassPathResource("redis/ratelimit-take.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final String keyPrefix;
    private final List<String> limits;

    RedisTokenBucket(ReactiveStringRedisTemplate redis, String keyPrefix, int requestsPerSecond, int burst) {
        this.redis = redis;
        this.keyPrefix = keyPrefix + "ratelimit:";
        this.limits = List.of(Integer.toString(requestsPerSecond), Integer.toString(burst));
    }

    String key(String username) {
        return keyPrefix + "{" + username + "}";
    }

    /** Takes a token for one request: zero when it may go ahead, else how long until it could. */
    Mono<Duration> take(String username) {
        return redis.execute(TAKE, List.of(key(username)), limits)
                .next()
                .map(Duration::ofMillis)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the rate limit script returned nothing")));
    }
}
