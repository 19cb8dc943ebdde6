package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The clock that measures waits follows the monotonic counter only. */
class MonotonicClockTests {

    @Test
    void movesWithTheMonotonicCounterAndNothingElse() {
        AtomicLong nanos = new AtomicLong(-5_000_000_000L);
        Instant start = Instant.parse("2026-11-20T10:00:00Z");
        MonotonicClock clock = new MonotonicClock(start, nanos::get);

        assertThat(clock.instant()).isEqualTo(start);
        nanos.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(clock.instant()).isEqualTo(start.plusMillis(1500));
    }

    @Test
    void theSystemClockForWaitsNeverGoesBack() {
        MonotonicClock clock = MonotonicClock.system();
        Instant previous = clock.instant();
        for (int i = 0; i < 10_000; i++) {
            Instant now = clock.instant();
            assertThat(now).isAfterOrEqualTo(previous);
            previous = now;
        }
    }
}
