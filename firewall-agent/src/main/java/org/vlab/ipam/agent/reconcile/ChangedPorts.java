package org.vlab.ipam.agent.reconcile;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.vlab.ipam.domain.ConnPort;

/**
 * The ports whose record changed since a committed sync last saw them, so a sync of changes
 * looks at those only and its cost follows the change, not the number of mappings. Each change
 * gets a new stamp; a port leaves the set only when a committed view saw its latest stamp, so a
 * port changed again while the sync ran (even within one generation, as a snapshot turning a
 * mapping into a removal does) stays for the next. Guarded by the ledger's lock.
 */
final class ChangedPorts {

    private final Map<ConnPort, Long> stamps = new HashMap<>();
    private long lastStamp;

    void add(ConnPort port) {
        stamps.put(port, ++lastStamp);
    }

    void addAll(Set<ConnPort> ports) {
        ports.forEach(this::add);
    }

    /** The changed ports with their stamps, for a view to carry. */
    Map<ConnPort, Long> copy() {
        return Map.copyOf(stamps);
    }

    /** After {@code view} committed: forgets the ports whose change it saw and that did not change since. */
    void committed(SyncView view) {
        view.changes().forEach((port, stamp) -> stamps.remove(port, stamp));
    }

    int size() {
        return stamps.size();
    }
}
