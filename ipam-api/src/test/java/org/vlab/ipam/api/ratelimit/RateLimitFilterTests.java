package org.vlab.ipam.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.auth.Caller;
import reactor.core.publisher.Mono;

class RateLimitFilterTests {

    private LettuceConnectionFactory unreachable;

    @AfterEach
    void close() {
        if (unreachable != null) {
            unreachable.destroy();
        }
    }

    private static ApiProperties properties(boolean enabled) {
        return new Binder(new MapConfigurationPropertySource(Map.of("ipam.rate-limit.enabled",
                Boolean.toString(enabled)))).bindOrCreate("ipam", ApiProperties.class);
    }

    /** Redis on a port nothing listens on: any command fails. */
    private ReactiveStringRedisTemplate deadRedis() {
        RedisStandaloneConfiguration nowhere = new RedisStandaloneConfiguration("127.0.0.1", 1);
        unreachable = new LettuceConnectionFactory(nowhere);
        unreachable.afterPropertiesSet();
        unreachable.start();
        return new ReactiveStringRedisTemplate(unreachable);
    }

    private static MockServerWebExchange authenticated() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/1/ipam/portmap"));
        exchange.getAttributes().put(Caller.ATTRIBUTE, new Caller("alice", 1));
        return exchange;
    }

    @Test
    void passesEveryRequestWhenDisabled() {
        AtomicBoolean passed = new AtomicBoolean();
        WebFilterChain chain = exchange -> Mono.fromRunnable(() -> passed.set(true));

        new RateLimitFilter(properties(false), deadRedis()).filter(authenticated(), chain).block(Duration.ofSeconds(5));

        assertThat(passed).isTrue();
    }

    @Test
    void doesNotCountUnauthenticatedRequests() {
        AtomicBoolean passed = new AtomicBoolean();
        MockServerWebExchange healthcheck = MockServerWebExchange.from(MockServerHttpRequest.get("/api/1/ipam/healthcheck"));

        new RateLimitFilter(properties(true), deadRedis())
                .filter(healthcheck, exchange -> Mono.fromRunnable(() -> passed.set(true))).block(Duration.ofSeconds(5));

        assertThat(passed).isTrue();
    }

    @Test
    void letsARedisOutagePropagateForTheEnvelopeHandler() {
        AtomicBoolean passed = new AtomicBoolean();

        Throwable failure = new RateLimitFilter(properties(true), deadRedis())
                .filter(authenticated(), exchange -> Mono.fromRunnable(() -> passed.set(true)))
                .then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(Duration.ofSeconds(20));

        assertThat(passed).isFalse();
        assertThat(failure).isInstanceOf(RedisConnectionFailureException.class);
    }
}
