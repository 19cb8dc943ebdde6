package org.vlab.ipam.system.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A vLab client of the port-map route of every API replica, as the gateway's owner. */
final class PortMapClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An answer to a create: its status and the connection port it carries (-1 when none). */
    record Created(int status, int port) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<URI> replicas;
    private final String token;

    PortMapClient(List<URI> replicas, String token) {
        this.replicas = replicas;
        this.token = token;
    }

    /** Create number {@code i}, sent to replica {@code i % 2}, to lab port {@code 10000 + i}; a null key sends none. */
    Created create(int i, String idempotencyKey) {
        String body = "{\"target_addr\":\"" + ClusteredGateway.LAB_HOST + "\",\"target_port\":" + labPort(i)
                + ",\"target_name\":\"vm" + i + "\",\"target_component\":\"Linux\"}";
        HttpRequest.Builder request = request(replicas.get(i % replicas.size()))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = send(request.build());
        JsonNode answer = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
        return new Created(response.statusCode(), answer.path("content").path("conn_port").asInt(-1));
    }

    static int labPort(int i) {
        return 10000 + i;
    }

    /** The gateway's mappings by connection port, as the second replica lists them. */
    Map<Integer, JsonNode> list() {
        HttpResponse<String> response = send(request(replicas.get(replicas.size() - 1)).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET answered " + response.statusCode() + ": " + response.body());
        }
        Map<Integer, JsonNode> ports = new TreeMap<>();
        JSON.readTree(response.body()).path("content").path("ports").properties()
                .forEach(entry -> ports.put(Integer.parseInt(entry.getKey()), entry.getValue()));
        return ports;
    }

    void delete(int port) {
        HttpResponse<String> response = send(request(replicas.get(0))
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"conn_port\":" + port + "}")).build());
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            throw new IllegalStateException("DELETE " + port + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("X-Auth", token)
                .header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
