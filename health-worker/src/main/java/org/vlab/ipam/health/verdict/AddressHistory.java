package org.vlab.ipam.health.verdict;

import java.time.Instant;

/**
 * What the worker remembers of one address between cycles.
 *
 * @param routable the declared verdict
 * @param disagreeing consecutive cycles whose observation contradicted the verdict
 * @param lastSeenAlive when it last answered, or null
 * @param announced the verdict subscribers last received with a confirmed publish, or null
 *        before the first; a change stays "changed" until it was announced
 */
record AddressHistory(boolean routable, int disagreeing, Instant lastSeenAlive, Boolean announced) {

    static AddressHistory first(boolean answered, Instant observedAt) {
        return new AddressHistory(answered, 0, answered ? observedAt : null, null);
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

    /** True when the verdict differs from what subscribers were last told; never for the first verdict. */
    boolean changed() {
        return announced != null && announced != routable;
    }

    AddressHistory announcedAs(boolean verdict) {
        return new AddressHistory(routable, disagreeing, lastSeenAlive, verdict);
    }
}
