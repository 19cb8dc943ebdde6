package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import tools.jackson.databind.json.JsonMapper;

class VlabKeyFetcherTests {

    private static final TestTokens TOKENS = TestTokens.generate("placeholder");

    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int failuresBeforeSuccess;
    private volatile String answer;
    private HttpServer server;
    private String vlabBase;

    @BeforeEach
    void startAuthService() throws IOException {
        answer = keyAnswer("RS256", TOKENS.publicKeyPem());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/1/auth/key", this::serveKey);
        server.start();
        vlabBase = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopAuthService() {
        server.stop(0);
    }

    private void serveKey(HttpExchange exchange) throws IOException {
        boolean fail = requests.incrementAndGet() <= failuresBeforeSuccess;
        byte[] body = (fail ? "{\"error\": \"down\"}" : answer).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String keyAnswer(String algorithm, String pem) {
        return json.writeValueAsString(Map.of("error", "", "params", Map.of(),
                "content", Map.of("key", pem, "algorithm", algorithm, "format", "pem")));
    }

    private AuthConfiguration startingWith(String... settings) {
        String[] all = new String[settings.length + 6];
        all[0] = "vlab-url";
        all[1] = vlabBase;
        all[2] = "auth.key-fetch-attempts";
        all[3] = "3";
        all[4] = "auth.key-fetch-backoff";
        all[5] = "20ms";
        System.arraycopy(settings, 0, all, 6, settings.length);
        return new AuthConfiguration(TestProperties.of(all));
    }

    private static ServerHttpRequest anyRequest() {
        return MockServerHttpRequest.get("/api/1/ipam/portmap").remoteAddress(new InetSocketAddress("127.0.0.1", 1)).build();
    }

    @Test
    void fetchesTheKeyWhenNoneIsConfiguredAndVerifiesTokensWithIt() throws Exception {
        TokenVerifier verifier = startingWith().tokenVerifier(json);
        TestTokens issuedHere = TestTokens.generate(vlabBase);

        assertThat(requests).hasValue(1);
        assertThatThrownBy(() -> verifier.verify(issuedHere.token("alice"), anyRequest()))
                .isInstanceOf(TokenRejectedException.class);
        String token = TOKENS.rs256(issuedHere.claims("alice").build());
        assertThat(verifier.verify(token, anyRequest())).isEqualTo(new Caller("alice", 1));
    }

    @Test
    void retriesUntilTheAuthServiceAnswers() {
        failuresBeforeSuccess = 2;

        assertThat(new VlabKeyFetcher(vlabBase, 3, Duration.ofMillis(20), json).fetch().getEncoded())
                .isEqualTo(TOKENS.publicKeyDer());
        assertThat(requests).hasValue(3);
    }

    @Test
    void failsToStartAfterTheLastAttemptWithAClearMessage() {
        failuresBeforeSuccess = Integer.MAX_VALUE;

        assertThatThrownBy(() -> startingWith().tokenVerifier(json)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No key to verify auth tokens")
                .hasMessageContaining(vlabBase + "/api/1/auth/key")
                .hasMessageContaining("all 3 attempts failed, the last with: HTTP status 503")
                .hasMessageContaining("IPAM_AUTH_PUBLIC_KEY");
        assertThat(requests).hasValue(3);
    }

    @Test
    void failsToStartWhenTheAuthServiceIsUnreachable() throws Exception {
        server.stop(0);

        assertThatThrownBy(() -> startingWith().tokenVerifier(json)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 3 attempts failed");
    }

    @Test
    void doesNotRetryAKeyOfTheWrongKind() {
        answer = keyAnswer("HS256", TOKENS.publicKeyPem());

        assertThatThrownBy(() -> startingWith().tokenVerifier(json)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unusable key").hasMessageContaining("RS256");
        assertThat(requests).hasValue(1);
    }

    @Test
    void fetchesNothingWhenAKeyOrADevSecretIsConfigured() {
        startingWith("auth.public-key", TOKENS.publicKeyPem()).tokenVerifier(json);
        startingWith("auth.public-key", TOKENS.publicKeyPem().replace("\n", "\\n")).tokenVerifier(json);
        startingWith("auth.dev-secret", TestTokens.DEV_SECRET).tokenVerifier(json);

        assertThat(requests).hasValue(0);
    }

    @Test
    void failsToStartWithAnUnreadableConfiguredKey() {
        assertThatThrownBy(() -> startingWith("auth.public-key", "not a pem").tokenVerifier(json))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ipam.auth.public-key");
    }
}
