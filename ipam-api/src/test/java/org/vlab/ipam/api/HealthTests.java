package org.vlab.ipam.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.vlab.ipam.testsupport.ActuatorClient;
import org.vlab.ipam.testsupport.ActuatorContract;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "ipam.redis-key-prefix=${ipam.test.redis-key-prefix}",
        "ipam.auth.dev-secret=health-tests-development-secret-of-32-bytes-or-more"})
@WithIpamServices
class HealthTests extends ActuatorContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    HealthTests(ActuatorClient actuator) {
        super(actuator, "ipam-api");
    }

    @Test
    void answersActuatorPathsOnThePublicPortWith404InTheEnvelope() {
        WebTestClient publicPort = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + actuator.applicationPort())
                .responseTimeout(Duration.ofSeconds(10)).build();
        for (String path : new String[] {"/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/info",
                "/actuator/metrics/ipam.portmap.ports.used", "/actuator/health/redis"}) {
            String body = publicPort.get().uri(path).exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith("application/json")
                    .expectBody(String.class).returnResult().getResponseBody();
            JsonNode envelope = JSON.readTree(body);
            assertThat(envelope.propertyNames()).as(path).containsExactlyInAnyOrder("error", "content", "params");
            assertThat(envelope.path("error").asString()).isEqualTo("No such route: " + path);
        }
    }

    @Test
    void healthIsUpAndShowsRedisAndTheBroker() {
        JsonNode health = get("/actuator/health");

        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/redis/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/rabbit/status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusScrapesJvmMetrics() {
        String metrics = actuator.get("/actuator/prometheus");

        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    private JsonNode get(String path) {
        return actuator.json(path);
    }
}
