package org.vlab.ipam.logs.forward;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A clock for measuring waits (batch linger, rotation grace, look-again back-off) that only
 * moves forward at the pace of {@link System#nanoTime()}: a step of the wall clock (NTP, an
 * operator's {@code date -s}, a VM resumed) neither stretches a deadline into the far future
 * nor expires it early. Its instants are the start time plus the elapsed time, so they are
 * only good for differences; the parser keeps the wall clock for the year of log times.
 */
final class MonotonicClock extends Clock {

    private final Instant origin;
    private final long originNanos;
    private final LongSupplier nanos;

    MonotonicClock(Instant origin, LongSupplier nanos) {
        this.origin = origin;
        this.nanos = nanos;
        this.originNanos = nanos.getAsLong();
    }

    static MonotonicClock system() {
        return new MonotonicClock(Instant.now(), System::nanoTime);
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(nanos.getAsLong() - originNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a monotonic clock measures waits and has no zone");
    }
}
