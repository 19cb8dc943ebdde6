package org.vlab.ipam.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP requests on a fixed set of threads, each with its own {@link KeepAliveHttp} connection
 * to each API replica: as many threads as requests kept in flight, so each request waits for
 * nothing but its answer. An answer other than 200 is the operation's failure ("HTTP 202").
 */
final class KeepAliveExchanges implements AutoCloseable {

    private final ExecutorService threads;
    private final Queue<KeepAliveHttp> opened = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Map<URI, KeepAliveHttp>> connections = ThreadLocal.withInitial(HashMap::new);

    KeepAliveExchanges(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("need at least one thread; got " + threads);
        }
        this.threads = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@code method pathAndQuery} to {@code api} with the given header lines (each ending in CRLF) and body (or null). */
    CompletableFuture<String> start(URI api, String method, String pathAndQuery, String headers, String body) {
        return call(api, http -> {
            int status = http.exchange(method, pathAndQuery, headers, body);
            return status == 200 ? null : "HTTP " + status;
        });
    }

    /** {@code exchanges} on one of the threads, with that thread's connection to {@code api}. */
    <T> CompletableFuture<T> call(URI api, Exchanges<T> exchanges) {
        return CompletableFuture.supplyAsync(() -> {
            KeepAliveHttp http = connections.get().computeIfAbsent(api, replica -> {
                KeepAliveHttp connection = new KeepAliveHttp(replica);
                opened.add(connection);
                return connection;
            });
            try {
                return exchanges.on(http);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads);
    }

    /** One or more requests in a row on one connection, and what they came to. */
    @FunctionalInterface
    interface Exchanges<T> {
        T on(KeepAliveHttp http) throws IOException;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        opened.forEach(KeepAliveHttp::close);
    }
}
