package org.vlab.ipam.agent.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.events.GatewayState;

/**
 * Whether the agent's mappings work, as the sync found out: degraded while a host-wide error
 * (a refusal every mapping meets, a line no mapping owns, iptables missing) blocks every
 * transaction, ok again after the next sync that commits; degraded too while the host's own
 * firewall drops what the agent's rules accept (asked after each full sync), with the sync's
 * reason first when both hold. Also counts failed syncs by kind. Listeners (the heartbeat)
 * hear of every change of state or reason at once.
 */
public final class GatewayCondition {

    /** The state, why (only when degraded), and since when. */
    public record Snapshot(GatewayState state, String reason, Instant since) {
    }

    private final Clock clock;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Map<Kind, AtomicLong> failures = new ConcurrentHashMap<>();
    private volatile Snapshot current;
    /** Why the sync cannot commit; null while it can. */
    private String syncProblem;
    /** Why the host drops what the agent accepts; null when nothing says so. */
    private String hostProblem;

    public GatewayCondition(Clock clock) {
        this.clock = clock;
        this.current = new Snapshot(GatewayState.OK, null, clock.instant());
        for (Kind kind : Kind.values()) {
            failures.put(kind, new AtomicLong());
        }
    }

    public Snapshot current() {
        return current;
    }

    /** Failed syncs of {@code kind} since start. */
    public long failures(Kind kind) {
        return failures.get(kind).get();
    }

    /** Called with every new state; called on the sync thread, so it must not block. */
    public void onChange(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    void failed(Kind kind) {
        failures.get(kind).incrementAndGet();
    }

    synchronized void degraded(String reason) {
        syncProblem = reason;
        update();
    }

    synchronized void ok() {
        syncProblem = null;
        update();
    }

    /**
     * What the last look at the host found (null: nothing) that keeps committed rules from
     * working; returns whether that differs from what the look before found.
     */
    synchronized boolean host(String problem) {
        boolean changed = !java.util.Objects.equals(problem, hostProblem);
        hostProblem = problem;
        update();
        return changed;
    }

    private synchronized void update() {
        String reason = syncProblem != null ? syncProblem : hostProblem;
        GatewayState state = reason == null ? GatewayState.OK : GatewayState.DEGRADED;
        Snapshot before = current;
        if (before.state() == state && java.util.Objects.equals(before.reason(), reason)) {
            return;
        }
        Snapshot after = new Snapshot(state, reason, before.state() == state ? before.since() : clock.instant());
        current = after;
        listeners.forEach(listener -> listener.accept(after));
    }
}
