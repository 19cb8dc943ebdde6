package org.vlab.ipam.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.JsonNode;

/**
 * Two API replicas on a Redis Cluster (3 masters, 3 replicas) and a 3-node RabbitMQ cluster:
 * every script runs in its gateway's slot, confirmations travel between replicas, and port
 * allocation stays atomic however the requests are spread.
 */
@ClusterTest
class ClusterReplicasTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    static ClusterServices services;

    record Result(int status, JsonNode body) {
    }

    @BeforeAll
    static void clusters() {
        services = ClusterServices.start("cluster-replicas");
    }

    @AfterAll
    static void removeVhost() {
        services.vhost().close();
    }

    @Test
    void threeHundredConcurrentPostsOverTwoReplicasYield101DistinctPortsAnd199Conflicts() {
        String gateway = TestRedis.uniqueName("clustered");
        Map<String, String> settings = Map.of("ipam.port-min", "50000", "ipam.port-max", "50100", "ipam.apply-wait", "20s");
        String prefix = "test-cluster-" + Long.toHexString(System.nanoTime()) + ":";
        try (ApiReplica first = ApiReplica.start(services.springProperties(), prefix, TOKENS, settings);
                ApiReplica second = ApiReplica.start(services.springProperties(), prefix, TOKENS, settings);
                FakeAgent agent = FakeAgent.start(services.vhost().connectionFactory(), gateway)) {
            List<WebClient> replicas = List.of(ClusterServices.client(first, TOKENS, gateway), ClusterServices.client(second, TOKENS, gateway));

            List<Result> results = Flux.range(0, 300)
                    .flatMap(i -> replicas.get(i % 2).post().uri("/api/1/ipam/portmap").contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(ApiClient.target("192.168.1." + (1 + i % 200), 22, "vm" + i, "Linux"))
                            .exchangeToMono(response -> response.bodyToMono(JsonNode.class)
                                    .map(body -> new Result(response.statusCode().value(), body))), 300)
                    .collectList()
                    .block(Duration.ofSeconds(180));

            // 200 once the agent's confirmation reached the answering replica within the wait, 202 (with
            // the port) when it did not: both hand out a port, and the mapping must end applied.
            Map<Integer, Long> statuses = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
            System.out.println("[cluster] 300 concurrent POSTs over two replicas: " + statuses);
            assertThat(statuses.get(409)).isEqualTo(199L);
            assertThat(statuses.getOrDefault(200, 0L) + statuses.getOrDefault(202, 0L)).isEqualTo(101L);
            List<Integer> ports = results.stream().filter(r -> r.status() != 409)
                    .map(r -> r.body().get("content").get("conn_port").asInt()).toList();
            assertThat(ports).doesNotHaveDuplicates().allSatisfy(port -> assertThat(port).isBetween(50000, 50100));
            ApiClient reader = new ApiClient(second.port(), TOKENS);
            await("every mapping applied").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode listed = reader.get(gateway, "/api/1/ipam/portmap").content().get("ports");
                assertThat(listed.properties()).hasSize(101)
                        .allSatisfy(entry -> assertThat(entry.getValue().get("state").asString()).isEqualTo("applied"));
            });
            assertThat(agent.received().stream().map(command -> command.connPort().value()).distinct())
                    .containsExactlyInAnyOrderElementsOf(ports);
        }
    }
}
