package org.vlab.ipam.agent.firewall;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.domain.ConnPort;

/**
 * A kernel firewall backend the sync writes the agent's forwardings to ({@code IPAM_FIREWALL_BACKEND}):
 * iptables ({@link IptablesFirewall}) or nftables. Each renders a transaction as a numbered
 * script whose lines name their mapping, applies it atomically, and reads the kernel back for drift.
 */
public interface Firewall {

    /**
     * What the kernel holds of the agent's, read back, without changing what the backend knows
     * of it: safe on any thread, so the reconciler reads ahead of a full sync off the sync loop.
     */
    KernelState observe() throws FirewallException;

    /**
     * Takes what {@code state} (a read of this backend's) found as what the kernel holds, where the
     * backend keeps that to render changes (the nftables log rules and structures). Only the sync
     * loop calls it, with a read no transaction came after.
     */
    default void adopt(KernelState state) {
    }

    /**
     * Whether {@link #observe} shows the kernel at one moment even while transactions commit:
     * nft reads the ruleset's generation before and after its dumps and starts over when they
     * differ (nftables' {@code nft_cache_update}); iptables-save reads its tables one after the other.
     */
    default boolean readsAtOneMoment() {
        return false;
    }

    /** What the kernel holds of the agent's, read back and adopted: the sync loop's own read. */
    default KernelState read() throws FirewallException {
        KernelState state = observe();
        adopt(state);
        return state;
    }

    /**
     * The transaction that closes {@code closed} and opens {@code opened} on a kernel holding what
     * the last one left; {@code heldBefore} says whether that kernel holds a mapping on a port.
     */
    RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
            Predicate<ConnPort> heldBefore);

    /** Applies one transaction: all of it or, on failure, nothing the caller can rely on. */
    void apply(RestoreScript script) throws FirewallException;

    /**
     * Applies a {@link #changeScript}, on a kernel that holds what the last transaction left (so
     * the agent's fixed rules are there); a backend may apply it faster than {@link #apply}.
     */
    default void applyChanges(RestoreScript script) throws FirewallException {
        apply(script);
    }

    /** The rules (or, for nftables, the elements and chains) each tcp mapping for every source takes. */
    int rulesPerMapping();

    /**
     * The rules (elements and rules) {@code forwards} take together, for the rule-count gauge: a
     * mapping limited to source networks takes a DNAT rule per network.
     */
    default int ruleCount(Collection<ForwardedPort> forwards) {
        return forwards.stream().mapToInt(forward -> rulesPerMapping() - 1 + Math.max(1, forward.networks().size()))
                .sum();
    }

    /**
     * What on the host, outside the agent's rules, keeps them from carrying connections (such as
     * another firewall's drop); empty when nothing the backend can see does. Asked for each full
     * sync: with the reconciler's read ahead of it, or after it.
     */
    default Optional<String> hostProblem() {
        return Optional.empty();
    }

    /** The program that applies a transaction, as the log names it ({@code iptables-restore}, {@code nft}). */
    String program();

    /** The agent's part of the kernel firewall as read back, compared with what is wanted. */
    interface KernelState {

        /** Whether the kernel holds exactly {@code wanted} and the agent's fixed rules. */
        boolean holds(List<ForwardedPort> wanted);

        /** A short account of how the kernel differs from {@code wanted}, for the log. */
        String differenceFrom(List<ForwardedPort> wanted);

        /**
         * Whether the kernel differs from {@code wanted} by more than the agent's own housekeeping
         * (a backend that leaves some of its rules behind may ask for a rewrite to clear them):
         * something changed what the agent wrote.
         */
        default boolean drifted(List<ForwardedPort> wanted) {
            return !holds(wanted);
        }

        /** The transaction turning what is held into exactly {@code wanted}. */
        RestoreScript scriptTo(List<ForwardedPort> wanted);

        /** The forwardings held that {@code wanted} does not (removed, or a re-targeted port's old target). */
        List<ForwardedPort> forwardsNotIn(Collection<ForwardedPort> wanted);
    }
}
