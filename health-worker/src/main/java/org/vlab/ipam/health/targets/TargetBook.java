package org.vlab.ipam.health.targets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.messaging.SnapshotUnavailableException;

/**
 * The addresses to probe, as of the last snapshot. Port-map events carry no target, so they
 * only mark the book stale ({@link #markStale}); the book asks for a new snapshot before the
 * next cycle, however many events came, and also at start, after the broker connection was
 * (re)established, and when its snapshot is older than the refresh interval. When no snapshot
 * can be had, it keeps the addresses it knew; while the broker is known down it does not even
 * ask (which would cost the cycle a connect timeout), and asks once it is back.
 */
public final class TargetBook {

    private static final Logger log = LoggerFactory.getLogger(TargetBook.class);

    private final SnapshotSource source;
    private final Clock clock;
    private final Duration refreshInterval;
    /** Why the broker is known to be unreachable, or null when it is not. */
    private final Supplier<String> brokerDownBecause;
    /** Why the book must refresh before the next cycle, or null when it need not. */
    private final AtomicReference<String> staleBecause = new AtomicReference<>("the worker started");
    private volatile List<ProbeTarget> targets = List.of();
    private volatile Instant refreshedAt;
    private volatile long generation = -1;
    private final AtomicLong snapshotFailures = new AtomicLong();
    private boolean failing;

    /** Public for the cycle's tests; the application makes one in TargetsConfiguration. */
    public TargetBook(SnapshotSource source, Clock clock, Duration refreshInterval, Supplier<String> brokerDownBecause) {
        this.source = source;
        this.clock = clock;
        this.refreshInterval = refreshInterval;
        this.brokerDownBecause = brokerDownBecause;
    }

    /** Something may have changed the gateway's mappings; refresh before the next cycle. */
    public void markStale(String reason) {
        staleBecause.compareAndSet(null, reason);
    }

    /**
     * The targets for the next cycle, refreshed first when stale; when the snapshot cannot be
     * had, the last known ones (empty before the first snapshot).
     */
    public synchronized List<ProbeTarget> targetsForNextCycle() {
        Instant now = clock.instant();
        String reason = staleBecause.getAndSet(null);
        if (reason == null && refreshedAt != null && now.isBefore(refreshedAt.plus(refreshInterval))) {
            return targets;
        }
        refresh(reason == null ? "the snapshot is older than " + refreshInterval : reason, now);
        return targets;
    }

    private void refresh(String reason, Instant now) {
        String down = brokerDownBecause.get();
        if (down != null) {
            staleBecause.compareAndSet(null, reason);
            snapshotFailures.incrementAndGet();
            log.debug("not asking for a snapshot ({}): the broker is unreachable ({})", reason, down);
            return;
        }
        try {
            var snapshot = source.take();
            if (failing) {
                log.info("snapshot requests are answered again");
                failing = false;
            }
            List<ProbeTarget> fresh = ProbeTarget.of(snapshot);
            if (!fresh.equals(targets) || refreshedAt == null) {
                log.info("snapshot of {} at generation {} ({}): {} addresses to probe", snapshot.gateway(),
                        snapshot.generation(), reason, fresh.size());
            }
            targets = fresh;
            generation = snapshot.generation();
            refreshedAt = now;
        } catch (SnapshotUnavailableException e) {
            // Ask again before the next cycle; a reason that came in meanwhile wins.
            staleBecause.compareAndSet(null, reason);
            if (!failing) {
                log.warn("could not refresh the snapshot ({}); probing the {} addresses known so far: {}", reason,
                        targets.size(), e.getMessage());
                failing = true;
            } else {
                log.debug("still no snapshot: {}", e.getMessage());
            }
            snapshotFailures.incrementAndGet();
        }
    }

    /** Whether a snapshot was ever received; until then there is nothing to probe. */
    public boolean loaded() {
        return refreshedAt != null;
    }

    public int size() {
        return targets.size();
    }

    /** Snapshot requests that got no usable answer, for the failures metric. */
    public long snapshotFailures() {
        return snapshotFailures.get();
    }

    /** The generation of the last snapshot, -1 before the first. */
    public long generation() {
        return generation;
    }
}
