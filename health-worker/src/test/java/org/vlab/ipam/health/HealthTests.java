package org.vlab.ipam.health;

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

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "ipam.gateway-id=health-tests")
@AutoConfigureWebTestClient
@WithIpamServices
class HealthTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private WebTestClient client;

    @Test
    void healthIsUpAndShowsTheBrokerConnection() {
        JsonNode health = get("/actuator/health");

        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/rabbit/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/cycle/status").asString()).isEqualTo("UP");
    }

    @Test
    void livenessIncludesTheProbeCycle() {
        JsonNode liveness = get("/actuator/health/liveness");

        assertThat(liveness.at("/components/cycle/status").asString()).isEqualTo("UP");
        assertThat(liveness.at("/components/livenessState/status").asString()).isEqualTo("UP");
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        assertThat(get("/actuator/health/liveness").path("status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/health/readiness").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void infoNamesTheArtifactAndItsVersion() {
        JsonNode build = get("/actuator/info").path("build");

        assertThat(build.path("artifact").asString()).isEqualTo("health-worker");
        assertThat(build.path("version").asString()).isNotBlank();
    }

    @Test
    void prometheusShowsTheWorkersMeters() {
        String metrics = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(metrics).contains("ipam_health_failures_total{stage=\"snapshot\"}",
                "ipam_health_failures_total{stage=\"publish\"}", "ipam_health_cycle_duration_seconds_count",
                "ipam_health_targets", "ipam_health_probes_in_flight", "ipam_health_icmp_enabled",
                "ipam_health_failures_total{stage=\"dropped\"}", "ipam_health_outbox_events",
                "ipam_health_cycle_last_finished_seconds");
    }

    private JsonNode get(String path) {
        String body = client.get().uri(path).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }
}
