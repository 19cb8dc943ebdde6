package org.vlab.ipam.health.targets;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.messaging.SnapshotUnavailableException;

/**
 * The addresses to probe: asked for afresh before every cycle, from the gateway's snapshot.
 * A cycle probes every address it names anyway, so one snapshot per cycle costs the API work in
 * proportion to the work the cycle does, and the worker needs no queue of its own: following
 * each port-map event instead cost the broker a third copy of every agent answer and the worker
 * a delivery per change (issue 14), to learn nothing before the next cycle that the snapshot
 * does not say.
 *
 * <p>A cycle waits at most {@code wait} for the snapshot: a broker that swallows packets must not
 * stall the probes, so a slower answer (the request goes on, on a thread of its own) serves the
 * next cycle, and this one probes the addresses known so far. Those are also what a failed
 * request leaves (empty before the first snapshot). While the broker is known down the book does
 * not even ask.
 */
public final class TargetBook implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetBook.class);

    private final SnapshotSource source;
    /** Why the broker is known to be unreachable, or null when it is not. */
    private final Supplier<String> brokerDownBecause;
    private final Duration wait;
    private final ExecutorService asking = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "snapshot-request");
        thread.setDaemon(true);
        return thread;
    });
    private volatile List<ProbeTarget> targets = List.of();
    private volatile boolean loaded;
    private volatile long generation = -1;
    private final AtomicLong snapshotFailures = new AtomicLong();
    /** The request still out, or null; only the cycle's thread starts one. */
    private CompletableFuture<Void> inFlight;
    /** Whether the last cycle went on without its snapshot (logged once until one comes in time). */
    private boolean late;
        /** Whether the last request failed; read and written on the asking thread only. */
    private boolean failing;

    /** Public for the cycle's tests; the application makes one in TargetsConfiguration. */
    public TargetBook(SnapshotSource source, Supplier<String> brokerDownBecause, Duration wait) {
        this.source = source;
        this.brokerDownBecause = brokerDownBecause;
        this.wait = wait;
    }

    /**
     * The targets for the next cycle: from a snapshot asked for now (or the one still out) when
     * it comes within the wait, else the last known ones.
     */
    public synchronized List<ProbeTarget> targetsForNextCycle() {
        String down = brokerDownBecause.get();
        if (down != null) {
            snapshotFailures.incrementAndGet();
            log.debug("not asking for a snapshot: the broker is unreachable ({}); probing the {} addresses known",
                    down, targets.size());
            return targets;
        }
        if (inFlight == null || inFlight.isDone()) {
            inFlight = CompletableFuture.runAsync(this::take, asking);
        }
        try {
            inFlight.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            late = false;
        } catch (TimeoutException e) {
            if (!late) {
                log.info("the snapshot did not come within {}; this cycle probes the {} addresses known, a later one"
                        + " what the answer says", wait, targets.size());
                late = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("could not take a snapshot", e.getCause());
        }
        return targets;
    }

    private void take() {
        try {
            var snapshot = source.take();
            if (failing) {
                log.info("snapshot requests are answered again");
                failing = false;
            }
            List<ProbeTarget> fresh = ProbeTarget.of(snapshot);
            if (!fresh.equals(targets) || !loaded) {
                log.info("snapshot of {} at generation {}: {} addresses to probe", snapshot.gateway(),
                        snapshot.generation(), fresh.size());
            }
            targets = fresh;
            generation = snapshot.generation();
            loaded = true;
        } catch (SnapshotUnavailableException e) {
            if (!failing) {
                log.warn("could not take a snapshot; probing the {} addresses known so far: {}", targets.size(),
                        e.getMessage());
                failing = true;
            } else {
                log.debug("still no snapshot: {}", e.getMessage());
            }
            snapshotFailures.incrementAndGet();
        } catch (CancellationException stopping) {
            // interrupted by close(): the worker is stopping, and no cycle waits for this answer
        }
    }

    /** Whether a snapshot was ever received; until then there is nothing to probe. */
    public boolean loaded() {
        return loaded;
    }

    public int size() {
        return targets.size();
    }

    /** Snapshot requests that got no usable answer, or were not sent while the broker was down, for the failures metric. */
    public long snapshotFailures() {
        return snapshotFailures.get();
    }

    /** The generation of the last snapshot, -1 before the first. */
    public long generation() {
        return generation;
    }

    /** Interrupts a request still out (the worker is stopping). */
    @Override
    public void close() {
        asking.shutdownNow();
    }
}
