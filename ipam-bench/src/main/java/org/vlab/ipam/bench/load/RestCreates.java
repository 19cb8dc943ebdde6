package org.vlab.ipam.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.vlab.ipam.domain.GatewayId;

/**
 * A create through the REST API as an operator: {@code POST /api/1/ipam/portmap?gateway=<id>}
 * to replica {@code index mod replicas} for gateway {@code index mod gateways}, successful
 * only when answered 200 (the agent applied it). Names carry {@code runTag}, so runs never
 * collide on a name.
 */
public final class RestCreates implements Operation {

    private final List<URI> replicas;
    private final List<GatewayId> gateways;
    private final String headers;
    private final String runTag;
    private final KeepAliveExchanges http;

    public RestCreates(List<URI> replicas, List<GatewayId> gateways, String token, String runTag, int inFlight) {
        if (replicas.isEmpty() || gateways.isEmpty()) {
            throw new IllegalArgumentException("creates need at least one replica and one gateway");
        }
        this.replicas = List.copyOf(replicas);
        this.gateways = List.copyOf(gateways);
        this.headers = "X-Auth: " + token + "\r\nContent-Type: application/json\r\n";
        this.runTag = runTag;
        this.http = new KeepAliveExchanges("rest-creates", inFlight);
    }

    /** Two daemon threads for an HTTP client's completions. */
    static ExecutorService executor(String name) {
        return Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The JDK's HTTP/1.1 client, for the one-at-a-time cycles, where latency counts and the client's CPU does not. */
    static HttpClient client(ExecutorService executor) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code POST /api/1/ipam/portmap?gateway=<id>} with {@code body}, as an operator holding {@code token}. */
    static HttpRequest create(URI api, GatewayId gateway, String token, String body) {
        return HttpRequest.newBuilder(api.resolve(path(gateway)))
                .header("X-Auth", token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String path(GatewayId gateway) {
        return "/api/1/ipam/portmap?gateway=" + gateway.value();
    }

    /** The body of create {@code index}: a target in the fleet's lab network, named after the run and index. */
    static String body(String runTag, int index) {
        return "{\"target_addr\":\"192.168.1." + (10 + index % 200) + "\",\"target_port\":22,\"target_name\":\""
                + runTag + "-" + index + "\",\"target_component\":\"bench\"}";
    }

    @Override
    public CompletableFuture<String> start(int index) {
        URI replica = replicas.get(index % replicas.size());
        GatewayId gateway = gateways.get(index % gateways.size());
        return http.start(replica, "POST", path(gateway), headers, body(runTag, index));
    }

    @Override
    public void close() {
        http.close();
    }
}
