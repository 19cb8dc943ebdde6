package org.vlab.ipam.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.bench.stats.RunSummary;
import org.vlab.ipam.domain.GatewayId;

class CreateDeleteCyclesTests {

    @Test
    void findsTheConnectionPortOfACreatesAnswer() {
        assertThat(CreateDeleteCycles.connPort("{\"error\":null,\"content\":{\"conn_port\": 50013}}")).hasValue(50013);
        assertThat(CreateDeleteCycles.connPort("{\"content\":{\"conn_port\":50100,\"state\":\"pending\"}}"))
                .hasValue(50100);
    }

    @Test
    void anAnswerWithoutAConnectionPortNamesNothingToDelete() {
        assertThat(CreateDeleteCycles.connPort("{\"error\":\"No free connection port\"}")).isEmpty();
        assertThat(CreateDeleteCycles.connPort("")).isEmpty();
        assertThat(CreateDeleteCycles.connPort(null)).isEmpty();
    }

    @Test
    void deletesByConnectionPort() {
        assertThat(CreateDeleteCycles.deleteBody(50013)).isEqualTo("{\"conn_port\":50013}");
    }

    @Test
    void gatewaysTakeTurnsInRoundsAndEachDeletesWhatItCreated() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        AtomicInteger ports = new AtomicInteger(50000);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/1/ipam/portmap", exchange -> {
            String gateway = exchange.getRequestURI().getQuery().replace("gateway=", "");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if ("POST".equals(exchange.getRequestMethod())) {
                int port = ports.getAndIncrement();
                calls.add("POST " + gateway + " " + port);
                // the third create on "many" is left pending
                answer(exchange, port == 50012 ? 202 : 200, "{\"content\":{\"conn_port\":" + port + "}}");
            } else {
                calls.add("DELETE " + gateway + " " + CreateDeleteCycles.connPort(body).orElseThrow());
                answer(exchange, 200, "{\"error\":null}");
            }
        });
        server.start();
        try (CreateDeleteCycles cycles = new CreateDeleteCycles(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                List.of(GatewayId.of("few"), GatewayId.of("many")), "token", "t")) {
            List<RunSummary> summaries = cycles.run("", 0, 12);
            assertThat(calls).hasSize(48);
            assertThat(calls.subList(0, 4)).containsExactly("POST few 50000", "DELETE few 50000", "POST few 50001",
                    "DELETE few 50001");
            assertThat(calls.get(20)).isEqualTo("POST many 50010");
            assertThat(calls.get(40)).isEqualTo("POST few 50020");
            assertThat(summaries).extracting(RunSummary::label).containsExactly("few: POST → 200",
                    "few: DELETE → 200", "many: POST → 200", "many: DELETE → 200");
            assertThat(summaries).extracting(RunSummary::succeeded).containsExactly(12, 12, 11, 12);
            assertThat(summaries.get(2).failures()).containsEntry("HTTP 202", 1);
        } finally {
            server.stop(0);
        }
    }

    /** A JSON answer of the API played by the JDK's HTTP server (RestChurnTests too). */
    static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
