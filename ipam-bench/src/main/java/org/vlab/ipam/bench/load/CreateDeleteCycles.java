package org.vlab.ipam.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vlab.ipam.bench.stats.Latencies;
import org.vlab.ipam.bench.stats.RunSummary;
import org.vlab.ipam.domain.GatewayId;

/**
 * One change at a time through REST, so the number of mappings on each gateway stays put: a
 * create ({@code POST}, timed until its 200), then the removal of what it created
 * ({@code DELETE} with its {@code conn_port}, timed until its 200), one after the other on one
 * keep-alive connection. With several gateways the cycles alternate in rounds of
 * {@value #ROUND} per gateway, so a machine whose load drifts weighs on each alike. A create
 * answered 202 (pending) is removed too, and counts as failed.
 */
public final class CreateDeleteCycles implements AutoCloseable {

    static final int ROUND = 10;
    private static final Pattern CONN_PORT = Pattern.compile("\"conn_port\"\\s*:\\s*(\\d+)");

    private final URI api;
    private final List<GatewayId> gateways;
    private final String token;
    private final String runTag;
    private final ExecutorService executor = RestCreates.executor("create-delete-cycles");
    private final HttpClient http = RestCreates.client(executor);
    private int created;

    public CreateDeleteCycles(URI api, List<GatewayId> gateways, String token, String runTag) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("cycles need at least one gateway");
        }
        this.api = api;
        this.gateways = List.copyOf(gateways);
        this.token = token;
        this.runTag = runTag;
    }

    /**
     * {@code warmup} cycles per gateway unreported, then {@code count} measured per gateway: for
     * each gateway in turn, its creates' and its deletes' summaries, labelled
     * {@code "<label> <gateway>: POST → 200"} and {@code "...: DELETE → 200"}; the rate is
     * cycles per second of that gateway's own time.
     */
    public List<RunSummary> run(String label, int warmup, int count) throws InterruptedException {
        List<Side> sides = gateways.stream().map(gateway -> new Side(gateway, count)).toList();
        for (int done = 0; done < warmup; done += ROUND) {
            for (Side side : sides) {
                for (int i = done; i < Math.min(done + ROUND, warmup); i++) {
                    cycle(side, -1);
                }
            }
        }
        for (int done = 0; done < count; done += ROUND) {
            for (Side side : sides) {
                for (int i = done; i < Math.min(done + ROUND, count); i++) {
                    cycle(side, i);
                }
            }
        }
        List<RunSummary> summaries = new ArrayList<>();
        for (Side side : sides) {
            String name = (label.isEmpty() ? "" : label + " ") + side.gateway.value();
            long busy = Math.max(side.busyNanos, 1);
            summaries.add(RunSummary.of(name + ": POST → 200", 1, side.creates, side.createFailures, busy));
            summaries.add(RunSummary.of(name + ": DELETE → 200", 1, side.deletes, side.deleteFailures, busy));
        }
        return summaries;
    }

    /** One create and its delete on {@code side}'s gateway, recorded in slot {@code slot} (a warm-up: -1). */
    private void cycle(Side side, int slot) throws InterruptedException {
        long began = System.nanoTime();
        HttpResponse<String> answer = send(RestCreates.create(api, side.gateway, token,
                RestCreates.body(runTag, created++)));
        long took = System.nanoTime() - began;
        side.outcome(answer, took, slot, side.creates, side.createFailures);
        OptionalInt port = connPort(answer.body());
        if (port.isEmpty()) {
            if (slot >= 0) {
                side.deleteFailures.merge("nothing to delete", 1, Integer::sum);
            }
        } else {
            long deleting = System.nanoTime();
            HttpResponse<String> deleted = send(delete(side.gateway, port.getAsInt()));
            side.outcome(deleted, System.nanoTime() - deleting, slot, side.deletes, side.deleteFailures);
        }
        if (slot >= 0) {
            side.busyNanos += System.nanoTime() - began;
        }
    }

    /** One gateway's cycles: their latencies, failures and the time they took. */
    private static final class Side {

        private final GatewayId gateway;
        private final Latencies creates;
        private final Latencies deletes;
        private final Map<String, Integer> createFailures = new HashMap<>();
        private final Map<String, Integer> deleteFailures = new HashMap<>();
        private long busyNanos;

        Side(GatewayId gateway, int count) {
            this.gateway = gateway;
            this.creates = new Latencies(count);
            this.deletes = new Latencies(count);
        }

        void outcome(HttpResponse<String> answer, long took, int slot, Latencies latencies,
                Map<String, Integer> failures) {
            if (slot < 0) {
                return;
            }
            if (answer.statusCode() == 200) {
                latencies.record(slot, took);
            } else {
                failures.merge("HTTP " + answer.statusCode(), 1, Integer::sum);
            }
        }
    }

    /** The {@code conn_port} an answer to a create names, if any. */
    static OptionalInt connPort(String body) {
        Matcher matcher = CONN_PORT.matcher(body == null ? "" : body);
        return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }

    /** The body of {@code DELETE /api/1/ipam/portmap} removing {@code connPort}. */
    static String deleteBody(int connPort) {
        return "{\"conn_port\":" + connPort + "}";
    }

    private HttpRequest delete(GatewayId gateway, int connPort) {
        return HttpRequest.newBuilder(api.resolve("/api/1/ipam/portmap?gateway=" + gateway.value()))
                .header("X-Auth", token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method("DELETE", HttpRequest.BodyPublishers.ofString(deleteBody(connPort)))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
