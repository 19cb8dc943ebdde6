package org.vlab.ipam.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.testsupport.TestRedis;

/** What operators see: one access-log line per request, and the port-map meters on the management port's /actuator/prometheus. */
@ExtendWith(OutputCaptureExtension.class)
class OperabilityTests extends LiveApiTestBase {

    @Test
    void writesOneAccessLogLinePerRequestWithUserStatusLatencyAndRequestId(CapturedOutput output) {
        String gateway = TestRedis.uniqueName("logged");

        Answer answer = api.send(HttpMethod.DELETE, "/api/1/ipam/portmap", gateway, Map.of("conn_port", 50001),
                Map.of("X-Request-Id", "req-" + gateway));

        assertThat(answer.status()).isEqualTo(404);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(output.getAll().lines().filter(line -> line.contains("request_id=req-" + gateway)))
                        .singleElement().satisfies(line -> assertThat(line)
                                .contains("org.vlab.ipam.api.access", "DELETE /api/1/ipam/portmap", "status=404",
                                        "user=" + gateway)
                                .containsPattern("latency_ms=\\d+")));
    }

    @Test
    void exposesPortPoolUsagePendingCommandsAndAckLatencyPerGateway() {
        String gateway = TestRedis.uniqueName("metered");
        agent(gateway);
        assertThat(api.post(gateway, target("192.168.1.50", 22, "m1", "Linux")).status()).isEqualTo(200);

        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).contains("ipam_portmap_ports_used{gateway=\"" + gateway + "\"} 1.0",
                    "ipam_portmap_pending{gateway=\"" + gateway + "\"} 0.0", "ipam_portmap_ports_pool 101.0",
                    "ipam_portmap_ack_latency_seconds_count", "http_server_requests_seconds_count");
        });
        // the meters name gateways (vLab user names): never on the API's public port
        String onPublicPort = api.http().get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(onPublicPort).doesNotContain(gateway).contains("No such route");
    }
}
