package org.vlab.ipam.agent.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.vlab.ipam.agent.reconcile.PortRecord.Status;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;

/**
 * The ledger's records by port. Every write but a commit's goes through {@link #put} or
 * {@link #remove}, which note the port as changed ({@link ChangedPorts}), so no change can
 * escape the next sync of changes. Guarded by the ledger's lock.
 */
final class PortRecords {

    private final Map<ConnPort, PortRecord> byPort = new HashMap<>();
    private final ChangedPorts changed = new ChangedPorts();

    PortRecord get(ConnPort port) {
        return byPort.get(port);
    }

    void put(ConnPort port, PortRecord record) {
        byPort.put(port, record);
        changed.add(port);
    }

    void remove(ConnPort port) {
        byPort.remove(port);
        changed.add(port);
    }

    void clear() {
        changed.addAll(byPort.keySet());
        byPort.clear();
    }

    /** Each port and its record, in no order; the action must not write. */
    void forEach(BiConsumer<ConnPort, PortRecord> action) {
        byPort.forEach(action);
    }

    /**
     * The record of a change the kernel now holds, as committed. Not a change of the desired
     * state (the mapping stays wanted or not as it was), so the port is not noted again.
     */
    void commit(ConnPort port, PortRecord record) {
        byPort.put(port, record.with(Status.COMMITTED, null));
    }

    /** A failure told to the API: not a change of the desired state either, so the port is not noted. */
    void told(ConnPort port, PortRecord record) {
        byPort.put(port, record.asTold());
    }

    /** Every port, for a full sync; {@code generation}: the least the view's generation is. */
    SyncView fullView(long generation) {
        return view(changed.copy(), byPort.keySet(), generation, false);
    }

    /** The ports changed since a committed sync last saw them, for a sync of changes. */
    SyncView changesView(long generation) {
        Map<ConnPort, Long> changes = changed.copy();
        return view(changes, changes.keySet(), generation, true);
    }

    private SyncView view(Map<ConnPort, Long> changes, Set<ConnPort> ports, long least, boolean partial) {
        List<ForwardedPort> wanted = new ArrayList<>();
        Map<ConnPort, Long> generations = new HashMap<>();
        Set<ConnPort> uncommitted = new HashSet<>();
        long generation = least;
        for (ConnPort port : ports) {
            PortRecord record = byPort.get(port);
            if (record == null) {
                continue;
            }
            generations.put(port, record.generation());
            generation = Math.max(generation, record.generation());
            if (record.wanted()) {
                wanted.add(record.forward());
            }
            if (record.status() == Status.UNCOMMITTED) {
                uncommitted.add(port);
            }
        }
        return new SyncView(wanted, generations, uncommitted, generation, changes, partial);
    }

    /** After {@code view} committed: the ports whose change it saw, unchanged since, are settled. */
    void committed(SyncView view) {
        changed.committed(view);
    }

    int changedPorts() {
        return changed.size();
    }
}
