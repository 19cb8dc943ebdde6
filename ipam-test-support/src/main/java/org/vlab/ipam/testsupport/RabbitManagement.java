package org.vlab.ipam.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few calls of RabbitMQ's management HTTP API that tests need: virtual hosts, users,
 * permissions (including topic permissions), queue statistics and client connections.
 */
public final class RabbitManagement {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // the management server drops HTTP/2 upgrade attempts
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final RabbitEndpoint endpoint;

    RabbitManagement(RabbitEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public void createVhost(String vhost) {
        call("PUT", "/api/vhosts/" + encode(vhost), Map.of());
    }

    public void deleteVhost(String vhost) {
        call("DELETE", "/api/vhosts/" + encode(vhost), null);
    }

    public void createUser(String user, String password) {
        call("PUT", "/api/users/" + encode(user), Map.of("password", password, "tags", ""));
    }

    public void deleteUser(String user) {
        call("DELETE", "/api/users/" + encode(user), null);
    }

    public void setPermissions(String vhost, String user, String configure, String write, String read) {
        call("PUT", "/api/permissions/" + encode(vhost) + "/" + encode(user),
                Map.of("configure", configure, "write", write, "read", read));
    }

    public void setTopicPermissions(String vhost, String user, String exchange, String write, String read) {
        call("PUT", "/api/topic-permissions/" + encode(vhost) + "/" + encode(user),
                Map.of("exchange", exchange, "write", write, "read", read));
    }

    /** The queue's statistics as the management API reports them; counts lag the broker by a few seconds. */
    public JsonNode queue(String vhost, String queue) {
        return JSON.readTree(call("GET", "/api/queues/" + encode(vhost) + "/" + encode(queue), null));
    }

    /** Every queue of the vhost with its statistics ({@code type}, and {@code members} for a quorum queue). */
    public JsonNode queues(String vhost) {
        return JSON.readTree(call("GET", "/api/queues/" + encode(vhost), null));
    }

    /** The names of the client connections {@code user} has open (as the broker tracks them, without the statistics' delay). */
    public List<String> connections(String user) {
        List<String> names = new ArrayList<>();
        for (JsonNode connection : JSON.readTree(call("GET", "/api/connections/username/" + encode(user), null))) {
            names.add(connection.path("name").asString());
        }
        return names;
    }

    /**
     * Force-closes every client connection {@code user} has open, as a broker restart or a
     * network cut would for the client; returns how many there were.
     */
    public int closeConnections(String user) {
        int open = connections(user).size();
        call("DELETE", "/api/connections/username/" + encode(user), null);
        return open;
    }

    private String call(String method, String path, Object body) {
        String credentials = Base64.getEncoder().encodeToString(
                (endpoint.username() + ":" + endpoint.password()).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://" + endpoint.host() + ":" + endpoint.managementPort() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("RabbitMQ management " + method + " " + path + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("RabbitMQ management API at " + endpoint + " unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling RabbitMQ management API", e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
