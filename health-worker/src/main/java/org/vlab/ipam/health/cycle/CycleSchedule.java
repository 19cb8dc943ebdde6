package org.vlab.ipam.health.cycle;

import java.time.Duration;

/**
 * When the next cycle starts: one period after the last one started, or at once when the last
 * one overran its period; never while one is running, and never several in a row to catch up.
 * Until the worker has its first snapshot it retries sooner, so a worker started before the
 * API does not sit idle for a whole period.
 */
record CycleSchedule(Duration period, Duration firstSnapshotRetry) {

    CycleSchedule {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the period must be positive; got " + period);
        }
    }

    /** The pause between the end of a cycle that took {@code elapsed} and the start of the next. */
    Duration pauseAfter(Duration elapsed, boolean hasSnapshot) {
        Duration pause = elapsed.compareTo(period) >= 0 ? Duration.ZERO : period.minus(elapsed);
        return hasSnapshot || pause.compareTo(firstSnapshotRetry) <= 0 ? pause : firstSnapshotRetry;
    }

    boolean overran(Duration elapsed) {
        return elapsed.compareTo(period) > 0;
    }
}
