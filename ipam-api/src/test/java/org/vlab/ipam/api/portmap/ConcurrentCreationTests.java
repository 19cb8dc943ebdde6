package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Port allocation is atomic: many concurrent POSTs to one gateway never share a port nor overfill its range. */
@IntegrationTest
class ConcurrentCreationTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    record Result(int status, JsonNode body) {
    }

    @Test
    void threeHundredConcurrentPostsToA101PortRangeYield101DistinctPortsAnd199Conflicts(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("busy");
        try (ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, Map.of("ipam.port-min", "50000",
                "ipam.port-max", "50100", "ipam.apply-wait", "20s"));
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            WebClient http = WebClient.builder().baseUrl("http://127.0.0.1:" + api.port())
                    .defaultHeader("X-Auth", TOKENS.token(gateway)).build();

            List<Result> results = Flux.range(0, 300)
                    .flatMap(i -> http.post().uri("/api/1/ipam/portmap").contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(ApiClient.target("192.168.1." + (1 + i % 200), 22, "vm" + i, "Linux"))
                            .exchangeToMono(response -> response.bodyToMono(JsonNode.class)
                                    .map(body -> new Result(response.statusCode().value(), body))), 300)
                    .collectList()
                    .block(Duration.ofSeconds(120));

            Map<Integer, Long> statuses = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
            assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(200, 101L, 409, 199L));
            List<Integer> ports = results.stream().filter(r -> r.status() == 200)
                    .map(r -> r.body().get("content").get("conn_port").asInt()).toList();
            assertThat(ports).doesNotHaveDuplicates().allSatisfy(port -> assertThat(port).isBetween(50000, 50100));
            assertThat(results.stream().filter(r -> r.status() == 409).map(r -> r.body().get("error").asString()))
                    .allSatisfy(error -> assertThat(error).contains(gateway).contains("50000-50100"));
            String base = redis.keyPrefix() + "{" + gateway + "}:";
            assertThat(redis.commands().hlen(base + "maps")).isEqualTo(101);
            assertThat(redis.commands().scard(base + "free")).as("the pool is used up").isZero();
            assertThat(agent.received()).hasSize(101);
        }
    }
}
