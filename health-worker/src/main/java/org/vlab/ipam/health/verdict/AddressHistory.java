package org.vlab.ipam.health.verdict;

import java.time.Instant;

/**
 * What the worker remembers of one address between cycles.
 *
 * @param routable the declared verdict
 * @param disagreeing consecutive cycles whose observation contradicted the verdict
 * @param lastSeenAlive when it last answered, or null
 * @param announced the verdict subscribers last received with a confirmed publish; until one
 *        was confirmed, the first verdict (which is no news about the host), so a change made
 *        before any event got through is still announced as one
 */
record AddressHistory(boolean routable, int disagreeing, Instant lastSeenAlive, boolean announced) {

    static AddressHistory first(boolean answered, Instant observedAt) {
        return new AddressHistory(answered, 0, answered ? observedAt : null, answered);
    }

    /** The history after one more cycle; the verdict flips once {@code changeAfterCycles} cycles in a row disagree with it. */
    AddressHistory observe(boolean answered, Instant observedAt, int changeAfterCycles) {
        Instant seen = answered ? observedAt : lastSeenAlive;
        if (answered == routable) {
            return new AddressHistory(routable, 0, seen, announced);
        }
        int streak = disagreeing + 1;
        return streak >= changeAfterCycles
                ? new AddressHistory(answered, 0, seen, announced)
                : new AddressHistory(routable, streak, seen, announced);
    }

    /** True when the verdict differs from what subscribers were last told (or the first verdict, before any confirm). */
    boolean changed() {
        return announced != routable;
    }

    AddressHistory announcedAs(boolean verdict) {
        return new AddressHistory(routable, disagreeing, lastSeenAlive, verdict);
    }
}
