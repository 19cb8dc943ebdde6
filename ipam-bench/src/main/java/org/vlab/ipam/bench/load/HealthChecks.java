package org.vlab.ipam.bench.load;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/1/ipam/healthcheck}, successful when answered 200: the API's cheapest
 * request that still asks Redis and the broker, the floor under every REST figure.
 */
public final class HealthChecks implements Operation {

    private final URI api;
    private final KeepAliveExchanges http;

    public HealthChecks(URI api, int inFlight) {
        this.api = api;
        this.http = new KeepAliveExchanges("health-checks", inFlight);
    }

    @Override
    public CompletableFuture<String> start(int index) {
        return http.start(api, "GET", "/api/1/ipam/healthcheck", "", null);
    }

    @Override
    public void close() {
        http.close();
    }
}
