package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.env.Environment;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;
import tools.jackson.databind.JsonNode;

/**
 * Version-2 tokens are bound to the client's address. On a real Netty server with the
 * Kubernetes platform active (where Spring Boot would turn forwarded-header handling on by
 * itself), a client on 127.0.0.1 must not be able to claim another address with
 * {@code X-Forwarded-For} or {@code Forwarded}; only a trusted proxy's last entry counts.
 */
@IntegrationTest
class ClientAddressTests {

    private static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");
    private static final String STOLEN_FROM = "203.0.113.7";

    private static ApiReplica onKubernetes(TestVhost vhost, TestRedis redis, String... settings) {
        Map<String, String> extra = new HashMap<>(Map.of("spring.main.cloud-platform", "kubernetes"));
        for (int i = 0; i < settings.length; i += 2) {
            extra.put(settings[i], settings[i + 1]);
        }
        return ApiReplica.start(vhost, redis, TOKENS, extra);
    }

    private static int status(ApiReplica api, String token, Map<String, String> headers) {
        var request = new ApiClient(api.port(), TOKENS).http().get().uri("/api/1/ipam/portmap").header("X-Auth", token);
        headers.forEach(request::header);
        var result = request.exchange().expectBody(JsonNode.class).returnResult();
        if (result.getStatus().value() == 401) {
            assertThat(result.getResponseBody().path("error").asString()).isEqualTo("Invalid auth token supplied");
        }
        return result.getStatus().value();
    }

    private static String boundTo(String gateway, String address) {
        return TOKENS.rs256(TOKENS.claimsV2(gateway, address).build());
    }

    @Test
    void refusesAStolenVersion2TokenWhoseAddressTheClientForwardsItself(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("victim");
        try (ApiReplica api = onKubernetes(vhost, redis)) {
            assertThat(CloudPlatform.getActive(api.bean(Environment.class))).isEqualTo(CloudPlatform.KUBERNETES);
            String stolen = boundTo(gateway, STOLEN_FROM);

            assertThat(status(api, stolen, Map.of("X-Forwarded-For", STOLEN_FROM, "Forwarded", "for=" + STOLEN_FROM)))
                    .isEqualTo(401);
            assertThat(status(api, stolen, Map.of("X-Forwarded-For", STOLEN_FROM))).isEqualTo(401);
            assertThat(status(api, stolen, Map.of("Forwarded", "for=\"" + STOLEN_FROM + ":4711\";proto=https")))
                    .isEqualTo(401);
            assertThat(status(api, stolen, Map.of("X-Real-IP", STOLEN_FROM, "X-Forwarded-Host", "vlab.test")))
                    .isEqualTo(401);
            // the socket's peer is what a token is bound to, whatever the client forwards
            assertThat(status(api, boundTo(gateway, "127.0.0.1"), Map.of("X-Forwarded-For", STOLEN_FROM)))
                    .isEqualTo(200);
        }
    }

    @Test
    void believesOnlyTheLastForwardedForEntryOfATrustedProxy(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("proxied");
        try (ApiReplica api = onKubernetes(vhost, redis, "ipam.auth.trusted-proxies", "127.0.0.1/32")) {
            String client = "198.51.100.20";

            assertThat(status(api, boundTo(gateway, client), Map.of("X-Forwarded-For", client))).isEqualTo(200);
            assertThat(status(api, boundTo(gateway, client), Map.of("X-Forwarded-For", "6.6.6.6, " + client)))
                    .isEqualTo(200);
            assertThat(status(api, boundTo(gateway, "6.6.6.6"), Map.of("X-Forwarded-For", "6.6.6.6, " + client)))
                    .as("an entry before the proxy's own is the client's claim").isEqualTo(401);
            assertThat(status(api, boundTo(gateway, client), Map.of("Forwarded", "for=" + client)))
                    .as("only X-Forwarded-For is read, and only from a trusted proxy").isEqualTo(401);
        }
    }

    @Test
    void refusesToStartWhenForwardedHeadersAreTurnedOnAgain(TestVhost vhost, TestRedis redis) {
        for (String strategy : new String[] {"native", "framework", ""}) {
            assertThatThrownBy(() -> onKubernetes(vhost, redis, "server.forward-headers-strategy", strategy).close())
                    .as("strategy '%s'", strategy).rootCause()
                    .hasMessageContaining("server.forward-headers-strategy (SERVER_FORWARD_HEADERS_STRATEGY) must be 'none'")
                    .hasMessageContaining("IPAM_TRUSTED_PROXIES");
        }
    }
}
