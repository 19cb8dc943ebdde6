package org.vlab.ipam.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.testsupport.ClusterTest;
import org.vlab.ipam.testsupport.TestRedis;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * The Redis master holding a gateway's slot is killed with SIGKILL during a stream of POSTs from
 * clients that do what a 503 asks (retry, with their Idempotency-Key): the API fails fast while
 * the replica takes over, follows the failover within seconds, and in the end every create is
 * acknowledged once, recorded and applied, and no port was handed out twice.
 */
@ClusterTest
class RedisFailoverTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    static ClusterServices services;

    record Result(int status, int port) {
    }

    /** A 503: nothing was written, try again. */
    static final class Unavailable extends RuntimeException {
        Unavailable() {
            super(null, null, false, false);
        }
    }

    @BeforeAll
    static void clusters() {
        services = ClusterServices.start("redis-failover");
    }

    @AfterAll
    static void removeVhost() {
        services.vhost().close();
    }

    @Test
    void everyAcknowledgedCreateSurvivesTheLossOfItsRedisMaster() {
        String gateway = TestRedis.uniqueName("failover");
        String prefix = "test-failover-" + Long.toHexString(System.nanoTime()) + ":";
        int master = services.clusters().redisMasterFor(prefix + "{" + gateway + "}:ports");
        Map<String, String> settings = Map.of("ipam.port-min", "50000", "ipam.port-max", "51000", "ipam.apply-wait", "10s");
        try (ApiReplica first = ApiReplica.start(services.springProperties(), prefix, TOKENS, settings);
                ApiReplica second = ApiReplica.start(services.springProperties(), prefix, TOKENS, settings);
                FakeAgent agent = FakeAgent.start(services.vhost().connectionFactory(), gateway)) {
            List<WebClient> replicas = List.of(ClusterServices.client(first, TOKENS, gateway), ClusterServices.client(second, TOKENS, gateway));
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger unavailable = new AtomicInteger();
            AtomicLong firstUnavailable = new AtomicLong();
            AtomicLong lastUnavailable = new AtomicLong();

            Mono<List<Result>> stream = Flux.range(0, 240)
                    .flatMap(i -> Mono.defer(() -> post(replicas.get(i % 2), i))
                            .flatMap(result -> {
                                if (result.status() != 503) {
                                    return Mono.just(result);
                                }
                                long now = System.nanoTime();
                                unavailable.incrementAndGet();
                                firstUnavailable.compareAndSet(0, now);
                                lastUnavailable.set(now);
                                return Mono.<Result>error(new Unavailable());
                            })
                            .retryWhen(Retry.fixedDelay(300, Duration.ofMillis(200)).filter(Unavailable.class::isInstance))
                            .doOnSubscribe(s -> sent.incrementAndGet()), 4)
                    .collectList().subscribeOn(Schedulers.boundedElastic()).cache();
            stream.subscribe();
            await("a quarter of the stream sent").atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= 60);
            long killed = System.nanoTime();
            services.clusters().killRedis(master);
            List<Result> results = stream.block(Duration.ofMinutes(5));

            Map<Integer, Long> statuses = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
            Duration outage = Duration.ofNanos(Math.max(0, lastUnavailable.get() - killed));
            System.out.println("[cluster] 240 creates, master " + master + " killed after 60: " + statuses + ", "
                    + unavailable.get() + " x 503 retried, the last " + outage.toMillis() + " ms after the kill");
            assertThat(results).allSatisfy(r -> assertThat(r.status()).isIn(200, 202));
            List<Integer> acknowledged = results.stream().map(Result::port).toList();
            assertThat(acknowledged).as("ports handed out").hasSize(240).doesNotHaveDuplicates();
            assertThat(outage).as("the API follows the failover").isLessThan(Duration.ofSeconds(30));
            ApiClient reader = new ApiClient(second.port(), TOKENS);
            await("every acknowledged create applied").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                JsonNode ports = reader.get(gateway, "/api/1/ipam/portmap").content().get("ports");
                Set<Integer> recorded = ports.properties().stream().map(entry -> Integer.parseInt(entry.getKey()))
                        .collect(Collectors.toSet());
                assertThat(recorded).containsAll(acknowledged);
                assertThat(ports.properties()).allSatisfy(entry ->
                        assertThat(entry.getValue().get("state").asString()).isEqualTo("applied"));
            });
        } finally {
            services.clusters().restartRedis(master);
        }
    }

    private static Mono<Result> post(WebClient replica, int i) {
        return replica.post().uri("/api/1/ipam/portmap").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "failover-create-" + i)
                .bodyValue(ApiClient.target("192.168.1." + (1 + i % 200), 22, "vm" + i, "Linux"))
                .exchangeToMono(response -> response.bodyToMono(JsonNode.class)
                        .map(body -> new Result(response.statusCode().value(),
                                body.path("content").path("conn_port").asInt(-1))));
    }
}
