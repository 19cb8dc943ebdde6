package org.vlab.ipam.api.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.vlab.ipam.api.web.Envelope;
import org.vlab.ipam.api.web.QueryParams;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/1/ipam/healthcheck}, unauthenticated: 200 with the build version when Redis
 * and RabbitMQ answer, 500 naming the one that does not (api-v1.md).
 */
@RestController
class HealthcheckController {

    /** A load balancer's probe gets its answer within this, even from a host that drops packets. */
    private static final Duration TIMEOUT = BrokerProbe.TIMEOUT;

    private final ReactiveStringRedisTemplate redis;
    private final BrokerProbe rabbit;
    private final String version;

    HealthcheckController(ReactiveStringRedisTemplate redis, BrokerProbe rabbit, ObjectProvider<BuildProperties> build) {
        this.redis = redis;
        this.rabbit = rabbit;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "development" : properties.getVersion();
    }

    @GetMapping(path = "/api/1/ipam/healthcheck", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Envelope>> check(ServerWebExchange exchange) {
        Mono<Boolean> redisUp = redis.execute(connection -> connection.ping()).next().map("PONG"::equals)
                .timeout(TIMEOUT).onErrorReturn(false).defaultIfEmpty(false);
        Mono<Boolean> rabbitUp = rabbit.reachable();
        return Mono.zip(redisUp, rabbitUp).map(up -> {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("version", version);
            content.put("redis", up.getT1() ? "up" : "down");
            content.put("rabbitmq", up.getT2() ? "up" : "down");
            String error = up.getT1() && up.getT2() ? null
                    : "Unhealthy: " + (up.getT1() ? "" : "Redis is unreachable") + (!up.getT1() && !up.getT2() ? "; " : "")
                            + (up.getT2() ? "" : "RabbitMQ is unreachable");
            return ResponseEntity.status(error == null ? HttpStatus.OK : HttpStatus.INTERNAL_SERVER_ERROR)
                    .body(new Envelope(error, content, QueryParams.of(exchange)));
        });
    }
}
