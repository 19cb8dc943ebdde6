package org.vlab.ipam.api.addr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.portmap.GatewayReads;
import org.vlab.ipam.api.portmap.GatewayView;
import org.vlab.ipam.api.portmap.MappingCursor;
import org.vlab.ipam.api.portmap.MappingUsage;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Mono;

/**
 * Address records are what the port maps name: each machine name with its component and
 * addresses. {@code routable} is true when any of its addresses answered the last probe,
 * false when probed and none did, null before any probe. Once a connection through any of its
 * mappings was counted, it also carries that usage: the latest connection's time and source and
 * the sum of the mappings' 24-hour counts. A machine with a mapping that forwards udp or admits
 * only some sources lists those mappings under {@code ports}. One read of the gateway answers it.
 */
@Component
class AddressBook {

    record Filter(String name, String addr, String component) {
    }

    private final GatewayReads reads;

    AddressBook(GatewayReads reads) {
        this.reads = reads;
    }

    Mono<Map<String, Object>> lookUp(GatewayId gateway, Filter filter) {
        return reads.read(gateway, new GatewayReads.Filter(null, filter.name(), filter.addr(), filter.component(), null))
                .map(AddressBook::records);
    }

    /** One record per machine name, in the connection-port order of its first mapping. */
    private static Map<String, Object> records(GatewayView view) {
        Map<String, MachineRecord> byName = new LinkedHashMap<>();
        try (MappingCursor mapping = new MappingCursor(view)) {
            while (mapping.next()) {
                byName.computeIfAbsent(mapping.name(), name -> new MachineRecord(mapping.component())).add(mapping);
            }
        }
        Map<String, Object> content = new LinkedHashMap<>();
        byName.forEach((name, record) -> content.put(name, record.content()));
        return content;
    }

    /** The addresses and verdicts gathered for one machine name. */
    private static final class MachineRecord {

        private final String component;
        private final List<String> addresses = new ArrayList<>();
        private Boolean routable;
        private String lastSeen;
        private MappingUsage lastConnection;
        private int connections24h;
        private final Map<String, Object> restricted = new LinkedHashMap<>();

        MachineRecord(String component) {
            this.component = component;
        }

        void add(MappingCursor mapping) {
            addUsage(mapping.usage());
            addAccess(mapping);
            if (addresses.contains(mapping.targetAddr())) {
                return;
            }
            addresses.add(mapping.targetAddr());
            if (mapping.routable() != null && !Boolean.TRUE.equals(routable)) {
                routable = mapping.routable();
            }
            // ISO-8601 instants as Instant.toString writes them compare in time order only when
            // parsed: their fraction has a varying length
            if (mapping.lastSeen() != null && (lastSeen == null
                    || java.time.Instant.parse(mapping.lastSeen()).isAfter(java.time.Instant.parse(lastSeen)))) {
                lastSeen = mapping.lastSeen();
            }
        }

        /** A mapping that forwards udp or admits only some sources, by its connection port. */
        private void addAccess(MappingCursor mapping) {
            if (mapping.protocol() == null && mapping.allowedSources() == null) {
                return;
            }
            Map<String, Object> access = new LinkedHashMap<>();
            access.put("target_addr", mapping.targetAddr());
            access.put("target_port", mapping.targetPort());
            if (mapping.protocol() != null) {
                access.put("protocol", mapping.protocol());
            }
            if (mapping.allowedSources() != null) {
                access.put("allowed_sources", mapping.allowedSources());
            }
            restricted.put(Integer.toString(mapping.connPort()), access);
        }

        /** Every mapping of the name counts, also two to the same address. */
        private void addUsage(MappingUsage usage) {
            if (usage == null) {
                return;
            }
            connections24h += usage.connections24h();
            if (lastConnection == null || usage.lastConnectionInstant().isAfter(lastConnection.lastConnectionInstant())) {
                lastConnection = usage;
            }
        }

        Map<String, Object> content() {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("component", component);
            record.put("routable", routable);
            record.put("last_seen", lastSeen);
            record.put("addr", addresses);
            if (lastConnection != null) {
                // only once a connection was counted, so api-v1's answers stay as they were
                record.put("last_connection_at", lastConnection.lastConnectionAt());
                record.put("last_source", lastConnection.lastSource());
                record.put("connections_24h", connections24h);
            }
            if (!restricted.isEmpty()) {
                // only for a machine with a udp or source-limited mapping, so api-v1's answers stay as they were
                record.put("ports", restricted);
            }
            return record;
        }
    }
}
