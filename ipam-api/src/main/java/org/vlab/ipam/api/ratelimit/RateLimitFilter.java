package org.vlab.ipam.api.ratelimit;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.auth.Caller;
import org.vlab.ipam.api.web.ApiException;
import reactor.core.publisher.Mono;

/**
 * Limits each authenticated user to {@code ipam.rate-limit.requests-per-second} with bursts
 * of {@code ipam.rate-limit.burst}; over budget answers 429 with {@code Retry-After}.
 * Unauthenticated requests (health check, describe) are not counted. When Redis is down the
 * failure propagates and the envelope handler answers 503.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

    /** After authentication (HIGHEST_PRECEDENCE + 100), which records the caller this filter counts. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 200;

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final boolean enabled;
    private final RedisTokenBucket bucket;

    RateLimitFilter(ApiProperties properties, ReactiveStringRedisTemplate redis) {
        ApiProperties.RateLimit limit = properties.rateLimit();
        this.enabled = limit.enabled();
        this.bucket = new RedisTokenBucket(redis, properties.redisKeyPrefix(), limit.requestsPerSecond(), limit.burst());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Caller caller = enabled ? Caller.of(exchange).orElse(null) : null;
        if (caller == null) {
            return chain.filter(exchange);
        }
        return bucket.take(caller.username()).flatMap(wait -> wait.isZero()
                ? chain.filter(exchange)
                : Mono.error(tooMany(caller.username(), wait)));
    }

    private static ApiException tooMany(String username, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        log.debug("User {} is over the rate limit; retry after {} s", username, seconds);
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests; retry after " + seconds + " s",
                null, Map.of(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
    }
}
