package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.vlab.ipam.api.web.Envelope;
import org.vlab.ipam.api.web.QueryParams;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@WithIpamServices
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ipam.redis-key-prefix=${ipam.test.redis-key-prefix}",
        "ipam.vlab-url=https://vlab.test",
        "ipam.operators=opsuser",
        "ipam.rate-limit.requests-per-second=1",
        "ipam.rate-limit.burst=3"})
@Import(AuthenticationIntegrationTests.Whoami.class)
class AuthenticationIntegrationTests {

    private static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");
    private static final String AUTH_LINK = "<https://vlab.test/api/1/auth>; rel=authorization";

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    private WebTestClient http;

    @DynamicPropertySource
    static void verificationKey(DynamicPropertyRegistry registry) {
        registry.add("ipam.auth.public-key", TOKENS::publicKeyPem);
    }

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A test-only route that needs a caller and honours {@code gateway=}. */
    @RestController
    static class Whoami {

        private final Tenancy tenancy;

        Whoami(Tenancy tenancy) {
            this.tenancy = tenancy;
        }

        @GetMapping("/api/1/ipam/whoami")
        Envelope whoami(Caller caller, @RequestParam(required = false) String gateway, ServerWebExchange exchange) {
            return Envelope.ok(Map.of("username", caller.username(), "version", caller.tokenVersion(),
                    "gateway", tenancy.gatewayFor(caller, gateway).value()), QueryParams.of(exchange));
        }

        @GetMapping("/api/1/ipam/open")
        Envelope open(ServerWebExchange exchange) {
            return Envelope.ok(Map.of("open", true), QueryParams.of(exchange));
        }
    }

    private JsonNode body(EntityExchangeResult<byte[]> result) {
        return json.readTree(result.getResponseBody());
    }

    private EntityExchangeResult<byte[]> get(String uri, String token) {
        return http.get().uri(uri).headers(headers -> {
            if (token != null) {
                headers.set("X-Auth", token);
            }
        }).exchange().expectBody().returnResult();
    }

    private void assertUnauthorized(EntityExchangeResult<byte[]> result, String message) {
        assertThat(result.getStatus().value()).isEqualTo(401);
        JsonNode body = body(result);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("error", "content", "params");
        assertThat(body.path("error").asString()).isEqualTo(message);
        assertThat(body.path("content").isObject()).isTrue();
        assertThat(body.path("content").size()).isZero();
        assertThat(result.getResponseHeaders().getContentType().toString()).startsWith("application/json");
        assertThat(result.getResponseHeaders().get(HttpHeaders.LINK)).contains(AUTH_LINK)
                .anySatisfy(link -> assertThat(link).endsWith("?describe=true>; rel=help"));
    }

    @Test
    void answersARequestWithoutTokenWith401AndBothLinks() {
        EntityExchangeResult<byte[]> result = get("/api/1/ipam/whoami?name=x", null);

        assertUnauthorized(result, "No auth token sent in HTTP header");
        assertThat(result.getResponseHeaders().get(HttpHeaders.LINK))
                .contains("<https://vlab.test/api/1/ipam/whoami?describe=true>; rel=help");
        assertThat(body(result).path("params").path("name").asString()).isEqualTo("x");
    }

    @Test
    void answersAnExpiredTokenWithNoValidSessionFound() {
        String expired = TOKENS.rs256(TOKENS.claims("alice").issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(60))).build());

        assertUnauthorized(get("/api/1/ipam/whoami", expired), "No Valid Session Found");
    }

    @Test
    void answersABadTokenWithInvalidAuthTokenSupplied() {
        TestTokens stranger = TestTokens.generate("https://vlab.test");

        assertUnauthorized(get("/api/1/ipam/whoami", stranger.token("alice")), "Invalid auth token supplied");
        assertUnauthorized(get("/api/1/ipam/whoami", "garbage"), "Invalid auth token supplied");
    }

    @Test
    void authenticatesEveryRouteUnderTheApiPrefix() {
        assertUnauthorized(get("/api/1/ipam/open", null), "No auth token sent in HTTP header");
        assertUnauthorized(get("/api/1/ipam;x=1/open", null), "No auth token sent in HTTP header");
        assertUnauthorized(get("/api/1/ipam/nothing-here", null), "No auth token sent in HTTP header");
    }

    @Test
    void acceptsAValidTokenFromXAuthOrBearer() {
        String user = TestRedis.uniqueName("who");

        JsonNode viaXAuth = body(get("/api/1/ipam/whoami", TOKENS.token(user)));
        JsonNode viaBearer = body(http.get().uri("/api/1/ipam/whoami")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKENS.token(user)).exchange()
                .expectStatus().isOk().expectBody().returnResult());

        assertThat(viaXAuth.path("error").isNull()).isTrue();
        assertThat(viaXAuth.path("content").path("username").asString()).isEqualTo(user);
        assertThat(viaXAuth.path("content").path("gateway").asString()).isEqualTo(user);
        assertThat(viaBearer.path("content").path("version").asInt()).isEqualTo(1);
    }

    @Test
    void leavesTheHealthcheckAndDescriptionsUnauthenticated() {
        EntityExchangeResult<byte[]> health = get("/api/1/ipam/healthcheck", null);
        EntityExchangeResult<byte[]> described = get("/api/1/ipam/open?describe=true", null);

        assertThat(health.getStatus().value()).isNotEqualTo(401);
        assertThat(described.getStatus().value()).isEqualTo(200);
        assertThat(body(described).path("content").path("open").asBoolean()).isTrue();
        // a handler that needs a caller never runs without one
        assertUnauthorized(get("/api/1/ipam/whoami?describe=true", null), "No auth token sent in HTTP header");
    }

    @Test
    void forbidsAnotherGatewayExceptToOperators() {
        String user = TestRedis.uniqueName("tenant");

        EntityExchangeResult<byte[]> forbidden = get("/api/1/ipam/whoami?gateway=bob", TOKENS.token(user));
        EntityExchangeResult<byte[]> operator = get("/api/1/ipam/whoami?gateway=bob", TOKENS.token("opsuser"));
        EntityExchangeResult<byte[]> invalid = get("/api/1/ipam/whoami?gateway=bob.x", TOKENS.token("opsuser"));

        assertThat(forbidden.getStatus().value()).isEqualTo(403);
        assertThat(body(forbidden).path("error").asString()).isEqualTo("user " + user + " does not have access");
        assertThat(body(forbidden).path("params").path("gateway").asString()).isEqualTo("bob");
        assertThat(operator.getStatus().value()).isEqualTo(200);
        assertThat(body(operator).path("content").path("gateway").asString()).isEqualTo("bob");
        assertThat(invalid.getStatus().value()).isEqualTo(400);
        assertThat(body(invalid).path("error").asString()).contains("gateway").contains("'bob.x'");
    }

    @Test
    void limitsEachUserToTheBurstThenRecovers() {
        String alice = TestRedis.uniqueName("alice");
        String bob = TestRedis.uniqueName("bob");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/1/ipam/whoami", TOKENS.token(alice)).getStatus().value()).isEqualTo(200);
        }

        EntityExchangeResult<byte[]> limited = get("/api/1/ipam/whoami", TOKENS.token(alice));

        assertThat(limited.getStatus().value()).isEqualTo(429);
        assertThat(limited.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(body(limited).path("error").asString()).isEqualTo("Too many requests; retry after 1 s");
        assertThat(body(limited).propertyNames()).containsExactlyInAnyOrder("error", "content", "params");
        assertThat(get("/api/1/ipam/whoami", TOKENS.token(bob)).getStatus().value()).isEqualTo(200);
        Awaitility.await().pollDelay(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5))
                .until(() -> get("/api/1/ipam/whoami", TOKENS.token(alice)).getStatus().value() == 200);
    }
}
