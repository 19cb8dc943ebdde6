package org.vlab.ipam.logs;

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
        properties = {"ipam.gateway-id=health-tests", "ipam.log-file=target/no-such.log",
                "ipam.state-dir=target/log-state"})
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
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        assertThat(get("/actuator/health/liveness").path("status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/health/readiness").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void infoNamesTheArtifactAndItsVersion() {
        JsonNode build = get("/actuator/info").path("build");

        assertThat(build.path("artifact").asString()).isEqualTo("log-forwarder");
        assertThat(build.path("version").asString()).isNotBlank();
    }

    @Test
    void prometheusShowsTheForwardersMeters() {
        String metrics = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(metrics).contains("ipam_logs_lines_read_total", "ipam_logs_records_published_total",
                "ipam_logs_lines_skipped_total{reason=\"not-netfilter\"}", "ipam_logs_publish_failures_total",
                "ipam_logs_behind_bytes");
    }

    private JsonNode get(String path) {
        String body = client.get().uri(path).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }
}
