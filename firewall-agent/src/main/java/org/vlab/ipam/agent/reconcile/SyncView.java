package org.vlab.ipam.agent.reconcile;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;

/**
 * The ledger as one sync saw it when it began: the mappings to render, the generation of
 * each port it looked at, and the changes its commit settles. Changes recorded later wait for
 * the next sync.
 */
record SyncView(List<ForwardedPort> wanted, Map<ConnPort, Long> generations, Set<ConnPort> uncommitted,
        long generation) {

    SyncView {
        wanted = List.copyOf(wanted);
        generations = Map.copyOf(generations);
        uncommitted = Set.copyOf(uncommitted);
    }

    boolean changesAnything() {
        return !uncommitted.isEmpty();
    }
}
