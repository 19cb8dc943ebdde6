package org.vlab.ipam.api.portmap;

import org.springframework.stereotype.Component;
import org.vlab.ipam.api.gateway.GatewayRecord;
import org.vlab.ipam.api.gateway.GatewayRegistry;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Mono;

/**
 * Builds the content of {@code GET /api/1/ipam/portmap} from one read of the gateway: api-v1's
 * query parameters are exact matches combined with AND, answered from the index.
 */
@Component
class PortMapQuery {

    private final GatewayReads reads;
    private final GatewayRegistry registry;

    PortMapQuery(GatewayReads reads, GatewayRegistry registry) {
        this.reads = reads;
        this.registry = registry;
    }

    Mono<PortMapListing> list(GatewayId gateway, GatewayReads.Filter filter) {
        return reads.read(gateway, filter).map(view -> {
            GatewayRecord record = registry.recordOf(view.registry());
            return new PortMapListing(view, record.wanAddress() == null ? null : record.wanAddress().toString(),
                    record.degradedReason());
        });
    }
}
