package org.vlab.ipam.bench.load;

import java.net.URI;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.vlab.ipam.domain.GatewayId;

/**
 * A create and then the removal of what it created, through the REST API as an operator, in a
 * row on one keep-alive connection: {@code POST} then {@code DELETE} with the answer's
 * {@code conn_port}, for gateway {@code index mod gateways}. Many in flight exercise both
 * paths at load while the number of mappings on each gateway stays put, so a warm-up can run
 * as long as the services' JIT needs without filling the port range. Successful only when both
 * are answered 200; a create answered otherwise is not removed (nothing names its port).
 */
public final class RestChurn implements Operation {

    private final URI api;
    private final List<GatewayId> gateways;
    private final String headers;
    private final String runTag;
    private final KeepAliveExchanges http;

    public RestChurn(URI api, List<GatewayId> gateways, String token, String runTag, int inFlight) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("churn needs at least one gateway");
        }
        this.api = api;
        this.gateways = List.copyOf(gateways);
        this.headers = "X-Auth: " + token + "\r\nContent-Type: application/json\r\n";
        this.runTag = runTag;
        this.http = new KeepAliveExchanges("rest-churn", inFlight);
    }

    @Override
    public CompletableFuture<String> start(int index) {
        String path = "/api/1/ipam/portmap?gateway=" + gateways.get(index % gateways.size()).value();
        return http.call(api, connection -> {
            KeepAliveHttp.Answer created = connection.exchange("POST", path, headers,
                    RestCreates.body(runTag, index), true);
            OptionalInt port = CreateDeleteCycles.connPort(created.body());
            if (port.isEmpty()) {
                return "create: HTTP " + created.status();
            }
            int removed = connection.exchange("DELETE", path, headers,
                    CreateDeleteCycles.deleteBody(port.getAsInt()));
            if (created.status() != 200) {
                return "create: HTTP " + created.status();
            }
            return removed == 200 ? null : "delete: HTTP " + removed;
        });
    }

    @Override
    public void close() {
        http.close();
    }
}
