package org.vlab.ipam.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.vlab.ipam.testsupport.ActuatorClient;
import org.vlab.ipam.testsupport.ActuatorContract;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "ipam.gateway-id=health-tests")
@WithIpamServices
class HealthTests extends ActuatorContract {

    HealthTests(ActuatorClient actuator) {
        super(actuator, "health-worker");
    }

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
    void prometheusShowsTheWorkersMeters() {
        String metrics = actuator.get("/actuator/prometheus");

        assertThat(metrics).contains("ipam_health_failures_total{stage=\"snapshot\"}",
                "ipam_health_failures_total{stage=\"publish\"}", "ipam_health_cycle_duration_seconds_count",
                "ipam_health_targets", "ipam_health_probes_in_flight", "ipam_health_icmp_enabled",
                "ipam_health_failures_total{stage=\"dropped\"}", "ipam_health_outbox_events",
                "ipam_health_cycle_last_finished_seconds");
    }

    private JsonNode get(String path) {
        return actuator.json(path);
    }
}
