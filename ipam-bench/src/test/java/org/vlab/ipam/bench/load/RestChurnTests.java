package org.vlab.ipam.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.bench.stats.RunSummary;
import org.vlab.ipam.domain.GatewayId;

/** Creates and their removals in flight, against the JDK's HTTP server playing the API. */
class RestChurnTests {

    private final AtomicInteger ports = new AtomicInteger(50000);
    /** Ports created and not yet removed, per gateway. */
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private URI api;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/1/ipam/portmap", exchange -> {
            String gateway = exchange.getRequestURI().getQuery().replace("gateway=", "");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if ("POST".equals(exchange.getRequestMethod())) {
                int port = ports.getAndIncrement();
                if (port % 10 == 9) { // every tenth create finds no free port
                    CreateDeleteCyclesTests.answer(exchange, 507, "{\"error\":\"No free connection port\",\"content\":null}");
                    return;
                }
                live.add(gateway + ":" + port);
                CreateDeleteCyclesTests.answer(exchange, 200, "{\"error\":null,\"content\":{\"conn_port\":" + port + "}}");
            } else {
                String mapping = gateway + ":" + CreateDeleteCycles.connPort(body).orElseThrow();
                CreateDeleteCyclesTests.answer(exchange, live.remove(mapping) && removed.add(mapping) ? 200 : 404, "{\"error\":null}");
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        api = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void removesWhatEachCreateMadeSoNothingIsLeft() throws InterruptedException {
        try (RestChurn churn = new RestChurn(api, List.of(GatewayId.of("few"), GatewayId.of("many")), "token", "t", 4)) {
            RunSummary summary = InFlightRun.run("churn", 4, 100, churn, 30);
            assertThat(summary.succeeded()).isEqualTo(90);
            assertThat(summary.failures()).containsExactly(java.util.Map.entry("create: HTTP 507", 10));
        }
        assertThat(live).as("every mapping created was removed").isEmpty();
        assertThat(removed).hasSize(90).anyMatch(mapping -> mapping.startsWith("few:"))
                .anyMatch(mapping -> mapping.startsWith("many:"));
    }
}
