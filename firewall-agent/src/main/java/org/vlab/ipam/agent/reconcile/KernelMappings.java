package org.vlab.ipam.agent.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;

/**
 * The forwardings the kernel holds as far as the agent knows: exactly what its last committed
 * transaction left, or unknown (at start, after any failure) until a full sync reads it back.
 * Knowing it is what lets a sync write only the difference, as kube-proxy's minimized restores do.
 */
record KernelMappings(Map<ConnPort, ForwardedPort> byPort) {

    static final KernelMappings UNKNOWN = new KernelMappings(null);

    KernelMappings {
        byPort = byPort == null ? null : Map.copyOf(byPort);
    }

    static KernelMappings of(Collection<ForwardedPort> forwards) {
        return new KernelMappings(forwards.stream().collect(Collectors.toMap(ForwardedPort::connPort,
                Function.identity())));
    }

    boolean known() {
        return byPort != null;
    }

    int size() {
        return byPort.size();
    }

    /**
     * What turns this into {@code wanted}: the forwardings to close (removed, or the old target
     * of a re-targeted port) and those to open. Comparing the two maps is cheap next to one
     * iptables run, whatever the number of mappings.
     */
    Change changeTo(Collection<ForwardedPort> wanted) {
        Map<ConnPort, ForwardedPort> next = of(wanted).byPort();
        List<ForwardedPort> closed = new ArrayList<>();
        List<ForwardedPort> opened = new ArrayList<>();
        byPort.forEach((port, forward) -> {
            if (!forward.equals(next.get(port))) {
                closed.add(forward);
            }
        });
        next.forEach((port, forward) -> {
            if (!forward.equals(byPort.get(port))) {
                opened.add(forward);
            }
        });
        return new Change(closed, opened);
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
