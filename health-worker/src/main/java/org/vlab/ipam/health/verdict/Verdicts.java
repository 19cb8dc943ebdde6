package org.vlab.ipam.health.verdict;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vlab.ipam.domain.LabAddress;

/**
 * The verdict per address with hysteresis: an address is routable when it answered anything
 * (an echo, a TCP handshake or a reset), but a verdict changes only after
 * {@code changeAfterCycles} consecutive cycles agree on the new value, so a flapping host does
 * not spam subscribers. The first verdict after start is declared at once and is not a change:
 * a restart of the worker is not news about the host. {@code changed} is true on the cycle the
 * verdict flips, and again on later cycles until an event carrying it was confirmed by the
 * broker ({@link #announced}), so an outage of the broker cannot swallow a change (not even one
 * before the first confirm: until then the first verdict stands for what subscribers know). A
 * cycle whose probes broke inside the worker ({@link #unjudged}) tells nothing about the host
 * and moves no verdict. Thread-safe:
 * judged on the cycle thread, confirmed on the publisher's.
 */
public final class Verdicts {

    private final int changeAfterCycles;
    private final Map<LabAddress, AddressHistory> histories = new HashMap<>();

    public Verdicts(int changeAfterCycles) {
        if (changeAfterCycles < 1) {
            throw new IllegalArgumentException("changeAfterCycles must be at least 1; got " + changeAfterCycles);
        }
        this.changeAfterCycles = changeAfterCycles;
    }

    /** Records one cycle's observation of {@code address} and returns what to publish about it. */
    public synchronized Judgement judge(LabAddress address, boolean answered, Instant observedAt) {
        AddressHistory before = histories.get(address);
        AddressHistory after = before == null ? AddressHistory.first(answered, observedAt)
                : before.observe(answered, observedAt, changeAfterCycles);
        histories.put(address, after);
        return new Judgement(after.routable(), after.changed(), after.lastSeenAlive());
    }

    /**
     * A cycle that learned nothing about {@code address} (its probes broke inside the worker):
     * the verdict stays as it was, and so does the count of disagreeing cycles; empty when the
     * address has no verdict yet.
     */
    public synchronized Optional<Judgement> unjudged(LabAddress address) {
        AddressHistory history = histories.get(address);
        return Optional.ofNullable(history)
                .map(known -> new Judgement(known.routable(), known.changed(), known.lastSeenAlive()));
    }

    /** The broker confirmed an event that told subscribers {@code routable} for this address. */
    public synchronized void announced(LabAddress address, boolean routable) {
        histories.computeIfPresent(address, (key, history) -> history.announcedAs(routable));
    }

    /** Forgets addresses that are no longer recorded; one that comes back starts afresh. */
    public synchronized void retainOnly(Set<LabAddress> addresses) {
        histories.keySet().retainAll(addresses);
    }

    public synchronized int size() {
        return histories.size();
    }
}
