package org.vlab.ipam.agent.reconcile;

import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.events.PortMapRequested.Action;

/**
 * What the agent knows of one connection port: the generation of the last change it saw, that
 * change (create with its validated target, or remove), where it came from, and how far it got.
 * {@code told}: a failed create whose failure a reconcile has already told the API; the API then
 * shows it failed and, when it was applied before, still offers it as pending, which needs no
 * answer again.
 */
record PortRecord(long generation, Action action, ForwardedPort forward, Origin origin, Status status, String failure,
        boolean told) {

    /** A command is answered when its change settles; a snapshot entry is settled by the reconcile that merged it. */
    enum Origin { COMMAND, SNAPSHOT }

    enum Status {
        /** Not yet in a committed transaction. */
        UNCOMMITTED,
        /** The kernel holds the change. */
        COMMITTED,
        /** Refused, or iptables failed on it; {@link #failure} says why. A failed create is not wanted. */
        FAILED
    }

    static PortRecord change(long generation, Action action, ForwardedPort forward, Origin origin, String refusal) {
        return refusal == null ? new PortRecord(generation, action, forward, origin, Status.UNCOMMITTED, null, false)
                : new PortRecord(generation, action, null, origin, Status.FAILED, refusal, false);
    }

    /** Whether the firewall should hold this port's rules. */
    boolean wanted() {
        return action == Action.CREATE && forward != null && status != Status.FAILED;
    }

    /** A create the policy refused (iptables' failures keep their forwarding). */
    boolean refusedByPolicy() {
        return action == Action.CREATE && status == Status.FAILED && forward == null;
    }

    PortRecord with(Status newStatus, String reason) {
        return new PortRecord(generation, action, forward, origin, newStatus, reason, false);
    }

    /** The same failure, told to the API by a reconcile. */
    PortRecord asTold() {
        return new PortRecord(generation, action, forward, origin, status, failure, true);
    }

    /** The same generation turned into a removal: the mapping is gone from the desired state. */
    PortRecord asRemoval() {
        return new PortRecord(generation, Action.REMOVE, null, Origin.SNAPSHOT, Status.UNCOMMITTED, null, false);
    }
}
