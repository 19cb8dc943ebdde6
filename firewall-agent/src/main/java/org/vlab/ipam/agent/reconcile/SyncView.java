package org.vlab.ipam.agent.reconcile;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;

/**
 * The ledger as one sync saw it when it began: the mappings to render, the generation of
 * each port it looked at, and the changes its commit settles. Changes recorded later wait for
 * the next sync. {@code changes} holds the ports changed since a committed sync last saw them,
 * each with its change's stamp ({@link ChangedPorts}). A view of changes only ({@code partial})
 * looked at those ports alone, and {@code wanted} holds the wanted mappings among them; a full
 * view looked at every port.
 */
record SyncView(List<ForwardedPort> wanted, Map<ConnPort, Long> generations, Set<ConnPort> uncommitted,
        long generation, Map<ConnPort, Long> changes, boolean partial) {

    SyncView {
        wanted = List.copyOf(wanted);
        generations = Map.copyOf(generations);
        uncommitted = Set.copyOf(uncommitted);
        changes = Map.copyOf(changes);
    }

    boolean changesAnything() {
        return !uncommitted.isEmpty();
    }
}
