package org.vlab.ipam.agent.reconcile;

import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.events.PortMapRequested.Action;

/**
 * What the agent knows of one connection port: the generation of the last change it saw, that
 * change (create with its validated target, or remove), where it came from, and how far it got.
 */
record PortRecord(long generation, Action action, ForwardedPort forward, Origin origin, Status status, String failure) {

    /** A command is answered when its change settles; a snapshot entry is settled by the reconcile that merged it. */
    enum Origin {
        COMMAND,
        SNAPSHOT,
        /**
         * A snapshot entry the API recorded applied. Refused, it is answered failed; the API then
         * shows it failed but, still wanted, offers it as pending, which needs no answer again.
         */
        APPLIED_SNAPSHOT
    }

    enum Status {
        /** Not yet in a committed transaction. */
        UNCOMMITTED,
        /** The kernel holds the change. */
        COMMITTED,
        /** Refused, or iptables failed on it; {@link #failure} says why. A failed create is not wanted. */
        FAILED
    }

    static PortRecord change(long generation, Action action, ForwardedPort forward, Origin origin, String refusal) {
        return refusal == null ? new PortRecord(generation, action, forward, origin, Status.UNCOMMITTED, null)
                : new PortRecord(generation, action, null, origin, Status.FAILED, refusal);
    }

    /** Whether the firewall should hold this port's rules. */
    boolean wanted() {
        return action == Action.CREATE && forward != null && status != Status.FAILED;
    }

    PortRecord with(Status newStatus, String reason) {
        return new PortRecord(generation, action, forward, origin, newStatus, reason);
    }

    /** The same generation turned into a removal: the mapping is gone from the desired state. */
    PortRecord asRemoval() {
        return new PortRecord(generation, Action.REMOVE, null, Origin.SNAPSHOT, Status.UNCOMMITTED, null);
    }
}
