package org.vlab.ipam.bench.load;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vlab.ipam.bench.stats.Latencies;
import org.vlab.ipam.bench.stats.RunSummary;

/**
 * Runs {@code count} operations keeping exactly {@code inFlight} of them outstanding: each
 * completion starts the next index, so the figure measured is the throughput at that
 * concurrency, and each latency is one operation's own, from its start to its completion.
 */
public final class InFlightRun {

    private final int inFlight;
    private final int count;
    private final Operation operation;
    private final Latencies latencies;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;
    /** Completions hand over here, so an operation that completes at once never nests the next one's start. */
    private final ExecutorService starter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "in-flight-starter");
        thread.setDaemon(true);
        return thread;
    });

    private InFlightRun(int inFlight, int count, Operation operation) {
        if (inFlight < 1 || count < 1) {
            throw new IllegalArgumentException("in flight and count must be positive; got " + inFlight + ", " + count);
        }
        this.inFlight = inFlight;
        this.count = count;
        this.operation = operation;
        this.latencies = new Latencies(count);
        this.done = new CountDownLatch(count);
    }

    /** Runs to completion (or until {@code timeoutSeconds} passed, which fails) and summarises under {@code label}. */
    public static RunSummary run(String label, int inFlight, int count, Operation operation, long timeoutSeconds)
            throws InterruptedException {
        return new InFlightRun(inFlight, count, operation).execute(label, timeoutSeconds);
    }

    private RunSummary execute(String label, long timeoutSeconds) throws InterruptedException {
        long started = System.nanoTime();
        for (int i = 0; i < Math.min(inFlight, count); i++) {
            starter.execute(this::startNext);
        }
        boolean finished = done.await(timeoutSeconds, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - started;
        starter.shutdownNow();
        if (!finished) {
            throw new IllegalStateException(label + ": " + done.getCount() + " of " + count
                    + " operations still outstanding after " + timeoutSeconds + " s");
        }
        return RunSummary.of(label, inFlight, latencies, failures, elapsed);
    }

    private void startNext() {
        int index = next.getAndIncrement();
        if (index >= count) {
            return;
        }
        long started = System.nanoTime();
        CompletableFuture<String> pending;
        try {
            pending = operation.start(index);
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        pending.whenComplete((failure, error) -> {
            if (error != null) {
                failures.merge(describe(error), 1, Integer::sum);
            } else if (failure != null) {
                failures.merge(failure, 1, Integer::sum);
            } else {
                latencies.record(index, System.nanoTime() - started);
            }
            done.countDown();
            if (next.get() < count) {
                starter.execute(this::startNext);
            }
        });
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause.getClass().getSimpleName();
    }
}
