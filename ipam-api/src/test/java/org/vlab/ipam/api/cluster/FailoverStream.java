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
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.vlab.ipam.api.testing.ApiClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * A stream of creates over two replicas from four clients that do what a 503 asks (retry, with
 * their Idempotency-Key), with a Redis master killed once a quarter was sent; then what every
 * failover test asserts: each create acknowledged once, no port twice, all recorded and applied.
 */
final class FailoverStream {

    record Result(int status, int port) {
    }

    /** What the clients saw: the final answers, the 503 retried, and the last one's delay after the kill. */
    record Outcome(List<Result> results, int unavailable, Duration outage) {

        Map<Integer, Long> statuses() {
            return results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        }
    }

    /** A 503: nothing was written, try again. */
    static final class Unavailable extends RuntimeException {
        Unavailable() {
            super(null, null, false, false);
        }
    }

    private FailoverStream() {
    }

    /** Sends {@code creates} (keys {@code keyPrefix + i}), runs {@code kill} once a quarter was sent, waits for every answer. */
    static Outcome run(List<WebClient> replicas, int creates, String keyPrefix, Runnable kill) {
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicLong lastUnavailable = new AtomicLong();
        Mono<List<Result>> stream = Flux.range(0, creates)
                .flatMap(i -> Mono.defer(() -> post(replicas.get(i % 2), keyPrefix + i, i))
                        .flatMap(result -> {
                            if (result.status() != 503) {
                                return Mono.just(result);
                            }
                            unavailable.incrementAndGet();
                            lastUnavailable.set(System.nanoTime());
                            return Mono.<Result>error(new Unavailable());
                        })
                        .retryWhen(Retry.fixedDelay(300, Duration.ofMillis(200)).filter(Unavailable.class::isInstance))
                        .doOnSubscribe(s -> sent.incrementAndGet()), 4)
                .collectList().subscribeOn(Schedulers.boundedElastic()).cache();
        stream.subscribe();
        await("a quarter of the stream sent").atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= creates / 4);
        long killed = System.nanoTime();
        kill.run();
        List<Result> results = stream.block(Duration.ofMinutes(5));
        return new Outcome(results, unavailable.get(), Duration.ofNanos(Math.max(0, lastUnavailable.get() - killed)));
    }

    /** Every create acknowledged once with its own port, and in the end recorded and applied. */
    static void assertEveryCreateAcknowledgedRecordedAndApplied(Outcome outcome, int creates, ApiClient reader, String gateway) {
        assertThat(outcome.results()).allSatisfy(r -> assertThat(r.status()).isIn(200, 202));
        List<Integer> acknowledged = outcome.results().stream().map(Result::port).toList();
        assertThat(acknowledged).as("ports handed out").hasSize(creates).doesNotHaveDuplicates();
        assertThat(outcome.outage()).as("the API follows the failover").isLessThan(Duration.ofSeconds(30));
        await("every acknowledged create applied").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode ports = reader.get(gateway, "/api/1/ipam/portmap").content().get("ports");
            Set<Integer> recorded = ports.properties().stream().map(entry -> Integer.parseInt(entry.getKey()))
                    .collect(Collectors.toSet());
            assertThat(recorded).containsAll(acknowledged);
            assertThat(ports.properties()).allSatisfy(entry ->
                    assertThat(entry.getValue().get("state").asString()).isEqualTo("applied"));
        });
    }

    private static Mono<Result> post(WebClient replica, String idempotencyKey, int i) {
        return replica.post().uri("/api/1/ipam/portmap").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", idempotencyKey)
                .bodyValue(ApiClient.target("192.168.1." + (1 + i % 200), 22, "vm" + i, "Linux"))
                .exchangeToMono(response -> response.bodyToMono(JsonNode.class)
                        .map(body -> new Result(response.statusCode().value(),
                                body.path("content").path("conn_port").asInt(-1))));
    }
}
