package org.vlab.ipam.api.portmap;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one read script answered for a gateway: its registry hash, the mappings that passed the
 * filters (stored JSON, in connection-port order), the reachability JSON of their addresses and
 * the usage summary of those that have any, by connection port (see {@link MappingUsage}).
 * The JSON stays as Redis sent it until a writer renders it, so no per-mapping objects are built.
 */
public record GatewayView(Map<String, String> registry, List<String> mappings, Map<String, String> reachability,
        Map<String, String> usage) {

    /** {@code flatMappings} alternates port and JSON, in any order; the view keeps them sorted by port. */
    static GatewayView of(Map<String, String> registry, List<?> flatMappings, Map<String, String> reachability,
            Map<String, String> usage) {
        int count = flatMappings.size() / 2;
        long[] order = new long[count];
        for (int i = 0; i < count; i++) {
            order[i] = (Long.parseLong(flatMappings.get(2 * i).toString()) << 32) | i;
        }
        Arrays.sort(order);
        String[] sorted = new String[count];
        for (int i = 0; i < count; i++) {
            sorted[i] = flatMappings.get(2 * (int) order[i] + 1).toString();
        }
        return new GatewayView(registry, Arrays.asList(sorted), reachability, usage);
    }
}
