package org.vlab.ipam.api.portmap;

import java.time.Duration;
import java.time.Instant;

/** How long a lease runs from now: {@code expires_in}, 60 seconds to 30 days. */
record LeaseTerm(int seconds) {

    static final int MIN_SECONDS = 60;
    static final int MAX_SECONDS = 2_592_000;

    LeaseTerm {
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("expires_in must be between " + MIN_SECONDS + " and " + MAX_SECONDS
                    + " seconds; supplied: " + seconds);
        }
    }

    Instant endFrom(Instant now) {
        return now.plus(Duration.ofSeconds(seconds));
    }
}
