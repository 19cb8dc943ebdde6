package org.vlab.ipam.api.portmap;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.addr.Reachability;
import org.vlab.ipam.api.addr.ReachabilityStore;
import org.vlab.ipam.api.gateway.GatewayRegistry;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Mono;

/**
 * Builds the content of {@code GET /api/1/ipam/portmap}: the filtered mappings keyed by
 * connection port, the gateway's address, and while its agent reports it degraded,
 * {@code gateway_state} and {@code gateway_error}.
 */
@Component
class PortMapQuery {

    /** api-v1.md's query parameters, combined with AND and matched exactly; null means any. */
    record Filter(String name, String targetAddr, Integer targetPort, String component, Integer connPort) {

        boolean matches(Mapping mapping) {
            return (name == null || name.equals(mapping.target().name().value()))
                    && (targetAddr == null || targetAddr.equals(mapping.target().addr().toString()))
                    && (targetPort == null || targetPort == mapping.target().port().value())
                    && (component == null || component.equals(mapping.target().component().value()))
                    && (connPort == null || connPort == mapping.connPort().value());
        }
    }

    private final PortMapStore store;
    private final GatewayRegistry registry;
    private final ReachabilityStore reachability;

    PortMapQuery(PortMapStore store, GatewayRegistry registry, ReachabilityStore reachability) {
        this.store = store;
        this.registry = registry;
        this.reachability = reachability;
    }

    Mono<Map<String, Object>> list(GatewayId gateway, Filter filter) {
        Mono<Map<String, Object>> ports = store.list(gateway)
                .filter(filter::matches)
                .flatMapSequential(mapping -> reachability.find(gateway, mapping.target().addr())
                        .map(seen -> Map.entry(Integer.toString(mapping.connPort().value()), describe(mapping, seen))))
                .collect(LinkedHashMap::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()));
        // One after the other: when Redis is down, one error answers 503 and none is dropped.
        return ports.flatMap(listed -> registry.find(gateway).map(record -> {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("ports", listed);
            content.put("gateway_ip", record.wanAddress() == null ? null : record.wanAddress().toString());
            if (record.degraded()) {
                // only while degraded, so clients of a healthy gateway see exactly api-v1's fields
                content.put("gateway_state", "degraded");
                content.put("gateway_error", record.degradedReason());
            }
            return content;
        }));
    }

    private static Map<String, Object> describe(Mapping mapping, Reachability seen) {
        Map<String, Object> port = new LinkedHashMap<>();
        port.put("name", mapping.target().name().value());
        port.put("target_addr", mapping.target().addr().toString());
        port.put("target_port", mapping.target().port().value());
        port.put("component", mapping.target().component().value());
        port.put("state", mapping.state().name().toLowerCase(Locale.ROOT));
        port.put("routable", seen.routable());
        port.put("last_seen", seen.lastSeen() == null ? null : seen.lastSeen().toString());
        port.put("created", mapping.created().toString());
        if (mapping.error() != null) {
            port.put("error", mapping.error());
        }
        return port;
    }
}
