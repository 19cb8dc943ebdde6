package org.vlab.ipam.api.addr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.portmap.MappingReader;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.PortMapTarget;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Address records are what the port maps name: each machine name with its component and
 * addresses. {@code routable} is true when any of its addresses answered the last probe,
 * false when probed and none did, null before any probe.
 */
@Component
class AddressBook {

    record Filter(String name, String addr, String component) {

        boolean matches(PortMapTarget target) {
            return (name == null || name.equals(target.name().value()))
                    && (addr == null || addr.equals(target.addr().toString()))
                    && (component == null || component.equals(target.component().value()));
        }
    }

    private final MappingReader mappings;
    private final ReachabilityStore reachability;

    AddressBook(MappingReader mappings, ReachabilityStore reachability) {
        this.mappings = mappings;
        this.reachability = reachability;
    }

    Mono<Map<String, Object>> lookUp(GatewayId gateway, Filter filter) {
        return mappings.targets(gateway)
                .filter(filter::matches)
                .collect(LinkedHashMap<String, List<PortMapTarget>>::new,
                        (byName, target) -> byName.computeIfAbsent(target.name().value(), n -> new ArrayList<>()).add(target))
                .flatMapMany(byName -> Flux.fromIterable(byName.entrySet()))
                .flatMapSequential(entry -> record(gateway, entry.getValue()).map(record -> Map.entry(entry.getKey(), record)))
                .collect(LinkedHashMap::new, (content, entry) -> content.put(entry.getKey(), entry.getValue()));
    }

    private Mono<Map<String, Object>> record(GatewayId gateway, List<PortMapTarget> targets) {
        List<LabAddress> addresses = targets.stream().map(PortMapTarget::addr).distinct().toList();
        return Flux.fromIterable(addresses)
                .flatMapSequential(address -> reachability.find(gateway, address))
                .collectList()
                .map(verdicts -> {
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("component", targets.get(0).component().value());
                    record.put("routable", verdicts.stream().anyMatch(v -> Boolean.TRUE.equals(v.routable())) ? Boolean.TRUE
                            : verdicts.stream().anyMatch(v -> Boolean.FALSE.equals(v.routable())) ? Boolean.FALSE : null);
                    record.put("last_seen", verdicts.stream().map(Reachability::lastSeen).filter(java.util.Objects::nonNull)
                            .max(java.util.Comparator.naturalOrder()).map(Object::toString).orElse(null));
                    record.put("addr", addresses.stream().map(LabAddress::toString).toList());
                    return record;
                });
    }
}
