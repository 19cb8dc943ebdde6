package org.vlab.ipam.agent.reconcile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.vlab.ipam.agent.rules.ForwardedPort;

/**
 * What the sync loop's last writes left in the kernel, by write number: the change a sync of
 * changes committed, or the whole set of forwardings a full sync wrote. A read ahead that writes
 * overlapped replays them onto what the last commit before it left, so that a read of one moment
 * (nftables) can be matched with every state the kernel passed through while it ran
 * ({@link KernelReadAhead}). Only the loop adds to it, holding the lock {@link FirewallSync}
 * syncs under, which readers take too. Bounded: the oldest entries go, and a write that failed
 * has none, so a replay across either is refused.
 */
final class WriteJournal {

    /** Writes remembered: a read of nftables takes a fraction of a second, a sync of changes milliseconds. */
    static final int CAPACITY = 64;

    /** What write {@code write} left: {@code change} applied to what was there, or exactly {@code whole}. */
    private record Entry(long write, KernelMappings.Change change, List<ForwardedPort> whole) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    /** Write {@code write}, a sync of changes, committed {@code change}. */
    void changed(long write, KernelMappings.Change change) {
        add(new Entry(write, change, null));
    }

    /** Write {@code write}, a full sync, left exactly {@code whole}. */
    void rewrote(long write, Collection<ForwardedPort> whole) {
        add(new Entry(write, null, List.copyOf(whole)));
    }

    private void add(Entry entry) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(entry);
    }

    /**
     * The forwardings the kernel held after each write in ({@code after}, {@code upTo}], the
     * newest first, starting from {@code left}, what it held after write {@code after}; empty
     * when one of those writes left nothing known (it failed, or its entry went).
     */
    Optional<List<List<ForwardedPort>>> statesAfter(List<ForwardedPort> left, long after, long upTo) {
        KernelMappings held = KernelMappings.of(left);
        List<List<ForwardedPort>> states = new ArrayList<>();
        long next = after + 1;
        for (Entry entry : entries) {
            if (entry.write() < next || entry.write() > upTo) {
                continue;
            }
            if (entry.write() != next) {
                return Optional.empty();
            }
            if (entry.change() != null) {
                held.apply(entry.change());
            } else {
                held = KernelMappings.of(entry.whole());
            }
            states.add(0, List.copyOf(held.forwards()));
            next++;
        }
        return next == upTo + 1 ? Optional.of(states) : Optional.empty();
    }
}
