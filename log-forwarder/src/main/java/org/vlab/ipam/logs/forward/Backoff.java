package org.vlab.ipam.logs.forward;

import java.time.Duration;

/** Exponential back-off: the first wait, doubled each time up to a maximum. */
final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    Backoff(Duration first, Duration max) {
        this.first = first.compareTo(max) > 0 ? max : first;
        this.max = max;
        this.next = this.first;
    }

    Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    void reset() {
        next = first;
    }
}
