package org.vlab.ipam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.vlab.ipam.testsupport.ActuatorClient;
import org.vlab.ipam.testsupport.ActuatorContract;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"ipam.gateway-id=health-tests", "ipam.wan-interface=lo"})
@WithIpamServices
class HealthTests extends ActuatorContract {

    HealthTests(ActuatorClient actuator) {
        super(actuator, "firewall-agent");
    }

    @Test
    void healthIsUpAndShowsTheBrokerConnection() {
        JsonNode health = get("/actuator/health");

        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/rabbit/status").asString()).isEqualTo("UP");
    }

    private JsonNode get(String path) {
        return actuator.json(path);
    }
}
