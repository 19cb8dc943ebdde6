package org.vlab.ipam.api.testing;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.vlab.ipam.api.auth.TestTokens;
import tools.jackson.databind.JsonNode;

/** A vLab client of the API under test: real HTTP to its port, with a token for one user. */
public final class ApiClient {

    private final WebTestClient http;
    private final TestTokens tokens;

    public ApiClient(int port, TestTokens tokens) {
        this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
        this.tokens = tokens;
    }

    public WebTestClient http() {
        return http;
    }

    public String token(String user) {
        return tokens.token(user);
    }

    /** The answer's status and body. */
    public record Answer(int status, JsonNode body, org.springframework.http.HttpHeaders headers) {

        public JsonNode content() {
            return body.get("content");
        }

        public String error() {
            return body.get("error").isNull() ? null : body.get("error").asString();
        }
    }

    public Answer post(String user, Object body) {
        return send(HttpMethod.POST, "/api/1/ipam/portmap", user, body, Map.of());
    }

    public Answer delete(String user, int connPort) {
        return send(HttpMethod.DELETE, "/api/1/ipam/portmap", user, Map.of("conn_port", connPort), Map.of());
    }

    public Answer get(String user, String pathAndQuery) {
        var result = http.get().uri(pathAndQuery).header("X-Auth", tokens.token(user)).exchange()
                .expectBody(JsonNode.class).returnResult();
        return new Answer(result.getStatus().value(), result.getResponseBody(), result.getResponseHeaders());
    }

    public Answer send(HttpMethod method, String path, String user, Object body, Map<String, String> headers) {
        var request = http.method(method).uri(path).header("X-Auth", tokens.token(user));
        headers.forEach(request::header);
        var result = (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body))
                .exchange().expectBody(JsonNode.class).returnResult();
        return new Answer(result.getStatus().value(), result.getResponseBody(), result.getResponseHeaders());
    }

    public static Map<String, Object> target(String addr, int port, String name, String component) {
        return Map.of("target_addr", addr, "target_port", port, "target_name", name, "target_component", component);
    }
}
