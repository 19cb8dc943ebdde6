package org.vlab.ipam.agent.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;

/**
 * The forwardings the kernel holds as far as the agent knows: exactly what its last committed
 * transaction left, or unknown (at start, after any failure) until a full sync reads it back.
 * Knowing it is what lets a sync write only the difference, as kube-proxy's minimized restores
 * do. Only the sync loop's thread changes it, a committed change in place, so a sync of changes
 * costs what the change does, whatever the number of mappings; the reconciler copies it between
 * two syncs ({@link FirewallSync#readAhead}).
 */
final class KernelMappings {

    static final KernelMappings UNKNOWN = new KernelMappings(null);

    private final Map<ConnPort, ForwardedPort> byPort;

    private KernelMappings(Map<ConnPort, ForwardedPort> byPort) {
        this.byPort = byPort;
    }

    static KernelMappings of(Collection<ForwardedPort> forwards) {
        Map<ConnPort, ForwardedPort> byPort = new HashMap<>();
        forwards.forEach(forward -> byPort.put(forward.connPort(), forward));
        return new KernelMappings(byPort);
    }

    boolean known() {
        return byPort != null;
    }

    /** Whether the kernel holds a mapping on {@code port}. */
    boolean holds(ConnPort port) {
        return byPort.containsKey(port);
    }

    int size() {
        return byPort.size();
    }

    /**
     * What turns the forwardings of {@code ports} into {@code wanted} (the wanted ones among
     * those ports); every other port stays as it is.
     */
    Change changeAt(Collection<ConnPort> ports, Collection<ForwardedPort> wanted) {
        Map<ConnPort, ForwardedPort> next = of(wanted).byPort;
        List<ForwardedPort> closed = new ArrayList<>();
        List<ForwardedPort> opened = new ArrayList<>();
        for (ConnPort port : ports) {
            ForwardedPort now = byPort.get(port);
            ForwardedPort then = next.get(port);
            if (now != null && !now.equals(then)) {
                closed.add(now);
            }
            if (then != null && !then.equals(now)) {
                opened.add(then);
            }
        }
        return new Change(closed, opened);
    }

    /** The forwardings held, in no order. */
    Collection<ForwardedPort> forwards() {
        return List.copyOf(byPort.values());
    }

    /** The kernel committed {@code change}. */
    void apply(Change change) {
        change.closed().forEach(forward -> byPort.remove(forward.connPort(), forward));
        change.opened().forEach(forward -> byPort.put(forward.connPort(), forward));
    }

    /** The forwardings one sync of changes closes and opens. */
    record Change(List<ForwardedPort> closed, List<ForwardedPort> opened) {

        Change {
            closed = List.copyOf(closed);
            opened = List.copyOf(opened);
        }

        boolean isEmpty() {
            return closed.isEmpty() && opened.isEmpty();
        }

        /** The mappings this change touches (a re-targeted one once). */
        long size() {
            return java.util.stream.Stream.concat(closed.stream(), opened.stream()).map(ForwardedPort::connPort)
                    .distinct().count();
        }
    }
}
