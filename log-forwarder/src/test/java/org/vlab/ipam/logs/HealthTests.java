package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.vlab.ipam.testsupport.ActuatorClient;
import org.vlab.ipam.testsupport.ActuatorContract;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"ipam.gateway-id=health-tests", "ipam.log-file=target/no-such.log",
                "ipam.state-dir=target/log-state"})
@WithIpamServices
class HealthTests extends ActuatorContract {

    HealthTests(ActuatorClient actuator) {
        super(actuator, "log-forwarder");
    }

    @Test
    void healthIsUpAndShowsTheBrokerConnection() {
        JsonNode health = get("/actuator/health");

        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/rabbit/status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusShowsTheForwardersMeters() {
        String metrics = actuator.get("/actuator/prometheus");

        assertThat(metrics).contains("ipam_logs_lines_read_total", "ipam_logs_records_published_total",
                "ipam_logs_lines_skipped_total{reason=\"not-netfilter\"}", "ipam_logs_publish_failures_total",
                "ipam_logs_behind_bytes");
    }

    private JsonNode get(String path) {
        return actuator.json(path);
    }
}
