package org.vlab.ipam.api.portmap;

import java.time.Clock;
import org.springframework.stereotype.Component;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.SnapshotTaken;
import reactor.core.publisher.Mono;

/**
 * A gateway's full desired state, as agents and health workers ask for it to reconcile, with
 * each mapping's connection usage once it has any.
 */
@Component
public class Snapshots {

    private final PortMapStore store;
    private final Clock clock;

    Snapshots(PortMapStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Mono<SnapshotTaken> take(GatewayId gateway) {
        return store.snapshot(gateway, clock.instant()).map(snapshot -> new SnapshotTaken(gateway,
                snapshot.generation(), snapshot.mappings().stream().map(mapping -> mapping.snapshot(
                        MappingUsage.parse(snapshot.usage().get(Integer.toString(mapping.connPort().value())))))
                        .toList(), clock.instant()));
    }
}
