package org.vlab.ipam.api.portmap;

import org.springframework.stereotype.Component;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.PortMapTarget;
import reactor.core.publisher.Flux;

/** What other features may read of a gateway's port maps: their targets, in connection-port order. */
@Component
public class MappingReader {

    private final PortMapStore store;

    MappingReader(PortMapStore store) {
        this.store = store;
    }

    public Flux<PortMapTarget> targets(GatewayId gateway) {
        return store.list(gateway).map(Mapping::target);
    }
}
