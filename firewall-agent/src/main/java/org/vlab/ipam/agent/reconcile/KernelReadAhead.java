package org.vlab.ipam.agent.reconcile;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.ForwardedPort;

/**
 * Reads the kernel back for the next full sync, and looks at the host, on the calling thread
 * (the reconciler's) instead of the sync loop's: with nftables, the read of a table of 1,010
 * mappings and as many closed mappings' log rules held every change that came meanwhile up
 * 0.3–0.65 s, every reconcile period. It also compares the read with what the last commit
 * left, copied between two syncs (the comparison walks every mapping, and the loop runs it
 * seldom enough for the JIT to leave it slow).
 * <p>
 * A read counts when no write came while it was taken. A read of a backend that reads at one
 * moment (nftables) counts too when the writes that came are all known ({@link WriteJournal}):
 * it showed the kernel as the copy or one of those writes left it, or something else changed
 * the kernel. Otherwise it counts only if it shows exactly the copy (a moment before the writes,
 * unless a hand undid one). Any other read may show some of the writes that came meanwhile: it
 * proves nothing, and is taken again, up to {@value #READ_ATTEMPTS} reads in all. How the full
 * sync uses what was taken is {@link FirewallSync}'s to decide.
 */
final class KernelReadAhead {

    // these lines report the full sync's read: under FirewallSync's name, where operators look for them
    private static final Logger log = LoggerFactory.getLogger(FirewallSync.class);

    /**
     * Reads taken in all while none counts. A read costs the reconciler's thread, not the loop;
     * on the end-to-end benchmark's gateway, changing every 30 ms, three counted no more often
     * than one (measured before which reads count was last refined), but changes seconds apart
     * would rarely spoil a second.
     */
    static final int READ_ATTEMPTS = 3;

    /** What the last commit left ({@code left}, null when the agent does not know), after {@code writes} writes. */
    record LastCommit(long writes, List<ForwardedPort> left) {
    }

    /** What the writes after a copy left in the kernel. */
    @FunctionalInterface
    interface WritesSince {
        /**
         * The forwardings the kernel held after each write after {@code copy} up to write
         * {@code upTo}, once those writes are done; empty when one of them left nothing known.
         */
        Optional<List<List<ForwardedPort>>> statesAfter(LastCommit copy, long upTo);
    }

    /**
     * A read of the kernel and a look at the host, taken after {@code writesBefore} writes;
     * {@code holdsWhatWasLeft}: whether the kernel held what those left or, for a read of one
     * moment, what one of the writes during it left (nothing drifted), null when the agent did not
     * know what they left; {@code conclusive}: whether that verdict holds, as no write came during
     * the read, or the read was of one moment and every write during it is known.
     */
    record Read(Firewall.KernelState state, Optional<String> hostProblem, long writesBefore, Boolean holdsWhatWasLeft,
            boolean conclusive) {

        /** Whether the read may show some of the writes that came while it was taken: it proves nothing. */
        boolean inconclusive() {
            return holdsWhatWasLeft != null && !conclusive;
        }
    }

    private final Firewall firewall;
    private final Supplier<LastCommit> lastCommit;
    private final LongSupplier writes;
    private final WritesSince writesSince;
    private final AtomicReference<Read> taken = new AtomicReference<>();

    /**
     * @param lastCommit copies what the last commit left, between two syncs
     * @param writes the firewall writes begun so far
     * @param writesSince what the writes after a copy left
     */
    KernelReadAhead(Firewall firewall, Supplier<LastCommit> lastCommit, LongSupplier writes, WritesSince writesSince) {
        this.firewall = firewall;
        this.lastCommit = lastCommit;
        this.writes = writes;
        this.writesSince = writesSince;
    }

    /** Takes the read for the next full sync; when it cannot, leaves none, and the full sync reads on the loop. */
    void take() {
        try {
            Optional<String> host = firewall.hostProblem();
            Read read = readOnce(host);
            for (int attempt = 2; attempt <= READ_ATTEMPTS && read.inconclusive(); attempt++) {
                read = readOnce(host);
            }
            taken.set(read);
        } catch (FirewallException e) {
            // the full sync reads on the loop and classifies the failure
            taken.set(null);
        } catch (RuntimeException e) {
            // as a failure of the loop's own read would be, this must not end the reconcile that asked
            log.error("reading the firewall ahead of the full sync failed unexpectedly; the sync loop reads it", e);
            taken.set(null);
        }
    }

    /** The read taken for the full sync now running, handed out once; null when none waits. */
    Read claim() {
        return taken.getAndSet(null);
    }

    private Read readOnce(Optional<String> host) throws FirewallException {
        LastCommit copy = lastCommit.get();
        Firewall.KernelState state = firewall.observe();
        // a write the read shows began before it ended, so it is counted here
        long upTo = writes.getAsLong();
        if (copy.left() == null) {
            return new Read(state, host, copy.writes(), null, upTo == copy.writes());
        }
        boolean asLeft = state.holds(copy.left());
        if (upTo == copy.writes() || asLeft && firewall.readsAtOneMoment()) {
            return new Read(state, host, copy.writes(), asLeft, true);
        }
        if (firewall.readsAtOneMoment()) {
            Optional<List<List<ForwardedPort>>> states = writesSince.statesAfter(copy, upTo);
            if (states.isPresent()) {
                // the kernel at one moment while they came: as one of them left it, or changed by something else
                return new Read(state, host, copy.writes(), states.get().stream().anyMatch(state::holds), true);
            }
        }
        return new Read(state, host, copy.writes(), asLeft, false);
    }
}
