package org.vlab.ipam.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * {@code GET /api/1/ipam/healthcheck}, successful when answered 200: the API's cheapest
 * request that still asks Redis and the broker, the floor under every REST figure.
 */
public final class HealthChecks implements Operation {

    private final URI api;
    private final ExecutorService executor = RestCreates.executor("health-checks");
    private final HttpClient http = RestCreates.client(executor);

    public HealthChecks(URI api) {
        this.api = api;
    }

    @Override
    public CompletableFuture<String> start(int index) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve("/api/1/ipam/healthcheck"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() == 200 ? null : "HTTP " + response.statusCode());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
