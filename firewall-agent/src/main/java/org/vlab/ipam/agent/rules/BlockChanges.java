package org.vlab.ipam.agent.rules;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.vlab.ipam.domain.ConnPort;

/**
 * The block chains a sync of changes opens (their first mapping arrives) and closes (their last
 * one goes), found by looking at the ports of the touched blocks only: what it costs does not
 * grow with the number of mappings.
 */
record BlockChanges(SortedSet<Integer> opened, SortedSet<Integer> closed) {

    static BlockChanges of(List<ForwardedPort> closing, List<ForwardedPort> opening, Predicate<ConnPort> heldBefore) {
        Set<ConnPort> closedPorts = ports(closing);
        Set<ConnPort> openedPorts = ports(opening);
        SortedSet<Integer> touched = new TreeSet<>();
        closedPorts.forEach(port -> touched.add(BlockChains.blockOf(port)));
        openedPorts.forEach(port -> touched.add(BlockChains.blockOf(port)));
        SortedSet<Integer> opened = new TreeSet<>();
        SortedSet<Integer> closed = new TreeSet<>();
        for (int block : touched) {
            boolean before = false;
            boolean after = false;
            int last = BlockChains.last(block);
            for (int value = Math.max(block, 1); value <= last && !(before && after); value++) {
                ConnPort port = ConnPort.of(value);
                boolean held = heldBefore.test(port);
                before |= held;
                after |= openedPorts.contains(port) || held && !closedPorts.contains(port);
            }
            if (!before && after) {
                opened.add(block);
            } else if (before && !after) {
                closed.add(block);
            }
        }
        return new BlockChanges(opened, closed);
    }

    private static Set<ConnPort> ports(Collection<ForwardedPort> forwards) {
        Set<ConnPort> ports = new HashSet<>();
        forwards.forEach(forward -> ports.add(forward.connPort()));
        return ports;
    }
}
