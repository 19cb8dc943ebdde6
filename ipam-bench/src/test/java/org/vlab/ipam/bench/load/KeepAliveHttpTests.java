package org.vlab.ipam.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmarks' lean HTTP/1.1 client against the JDK's own HTTP server. */
class KeepAliveHttpTests {

    private HttpServer server;
    private URI api;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sized", exchange -> answer(exchange, 200, "{\"status\":\"ok\"}", false));
        server.createContext("/chunked", exchange -> answer(exchange, 200, "x".repeat(20_000), true));
        server.createContext("/accepted", exchange -> answer(exchange, 202, "{\"status\":\"pending\"}", false));
        server.start();
        api = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsSizedAndChunkedBodiesAndKeepsOneConnection() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp(api)) {
            assertThat(http.exchange("POST", "/sized?gateway=g1", "Content-Type: application/json\r\n", "{\"a\":1}"))
                    .isEqualTo(200);
            assertThat(http.exchange("GET", "/chunked", "", null)).isEqualTo(200);
            assertThat(http.exchange("GET", "/accepted", "", null)).isEqualTo(202);
            assertThat(http.exchange("GET", "/sized", "", null)).isEqualTo(200);
        }
        assertThat(bodies).containsExactly("{\"a\":1}", "", "", "");
        assertThat(clientPorts).as("every request on the same keep-alive connection").hasSize(1);
    }

    @Test
    void keepsSizedAndChunkedBodiesWhenAsked() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp(api)) {
            assertThat(http.exchange("GET", "/sized", "", null, true))
                    .isEqualTo(new KeepAliveHttp.Answer(200, "{\"status\":\"ok\"}"));
            assertThat(http.exchange("GET", "/chunked", "", null, true).body()).isEqualTo("x".repeat(20_000));
            assertThat(http.exchange("GET", "/accepted", "", null, false))
                    .isEqualTo(new KeepAliveHttp.Answer(202, ""));
        }
        assertThat(clientPorts).as("every request on the same keep-alive connection").hasSize(1);
    }

    @Test
    void opensTheConnectionAgainWhenTheServerClosedItWhileIdle() throws Exception {
        try (ServerSocket closesAfterOne = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                for (int connection = 0; connection < 2; connection++) {
                    try (Socket socket = closesAfterOne.accept()) {
                        readRequestHead(socket);
                        socket.getOutputStream().write(
                                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            serving.start();
            try (KeepAliveHttp http = new KeepAliveHttp(URI.create("http://127.0.0.1:" + closesAfterOne.getLocalPort()))) {
                assertThat(http.exchange("GET", "/", "", null)).isEqualTo(200);
                assertThat(http.exchange("GET", "/", "", null)).isEqualTo(200);
            }
            serving.join(5_000);
        }
    }

    @Test
    void aServerThatAnswersNothingIsAnErrorNotAStatus() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread closing = new Thread(() -> {
                try (Socket socket = silent.accept()) {
                    readRequestHead(socket);
                } catch (IOException e) {
                    // the test's end
                }
            });
            closing.start();
            try (KeepAliveHttp http = new KeepAliveHttp(URI.create("http://127.0.0.1:" + silent.getLocalPort()))) {
                assertThatThrownBy(() -> http.exchange("GET", "/", "", null)).isInstanceOf(IOException.class)
                        .hasMessageContaining("closed");
            }
        }
    }

    @Test
    void exchangesReportAnythingButTwoHundredAsTheFailure() throws Exception {
        try (KeepAliveExchanges exchanges = new KeepAliveExchanges("test", 2)) {
            assertThat(exchanges.start(api, "GET", "/sized", "", null).get()).isNull();
            assertThat(exchanges.start(api, "GET", "/accepted", "", null).get()).isEqualTo("HTTP 202");
            assertThatThrownBy(() -> exchanges.start(URI.create("http://127.0.0.1:1"), "GET", "/", "", null).get())
                    .isInstanceOf(ExecutionException.class);
        }
    }

    private void answer(HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void readRequestHead(Socket socket) throws IOException {
        var in = socket.getInputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }
}
