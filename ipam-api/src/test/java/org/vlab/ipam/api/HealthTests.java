package org.vlab.ipam.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "ipam.redis-key-prefix=${ipam.test.redis-key-prefix}",
        "ipam.auth.dev-secret=health-tests-development-secret-of-32-bytes-or-more"})
@AutoConfigureWebTestClient
@WithIpamServices
class HealthTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private WebTestClient client;

    @Test
    void healthIsUpAndShowsRedisAndTheBroker() {
        JsonNode health = get("/actuator/health");

        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/redis/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/rabbit/status").asString()).isEqualTo("UP");
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        assertThat(get("/actuator/health/liveness").path("status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/health/readiness").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void infoNamesTheArtifactAndItsVersion() {
        JsonNode build = get("/actuator/info").path("build");

        assertThat(build.path("artifact").asString()).isEqualTo("ipam-api");
        assertThat(build.path("version").asString()).isNotBlank();
    }

    @Test
    void prometheusScrapesJvmMetrics() {
        String metrics = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    private JsonNode get(String path) {
        String body = client.get().uri(path).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }
}
