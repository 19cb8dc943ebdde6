package org.vlab.ipam.agent.firewall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.vlab.ipam.domain.PortRange;

/**
 * A set of ports as {@code ip_local_reserved_ports} writes it ({@code 8080,50000-50100}):
 * sorted, merged ranges.
 */
record PortList(List<PortRange> ranges) {

    PortList {
        ranges = List.copyOf(ranges);
    }

    static PortList parse(String text) {
        List<PortRange> ranges = new ArrayList<>();
        for (String part : text.strip().split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            int dash = item.indexOf('-');
            try {
                ranges.add(dash < 0 ? new PortRange(Integer.parseInt(item), Integer.parseInt(item))
                        : new PortRange(Integer.parseInt(item.substring(0, dash)), Integer.parseInt(item.substring(dash + 1))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a port list such as 8080,50000-50100: '" + text.strip() + "'", e);
            }
        }
        return new PortList(ranges).merged();
    }

    boolean covers(PortRange range) {
        return ranges.stream().anyMatch(r -> r.min() <= range.min() && r.max() >= range.max());
    }

    PortList with(PortRange range) {
        List<PortRange> all = new ArrayList<>(ranges);
        all.add(range);
        return new PortList(all).merged();
    }

    private PortList merged() {
        List<PortRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(PortRange::min));
        List<PortRange> merged = new ArrayList<>();
        for (PortRange range : sorted) {
            PortRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range.min() <= last.max() + 1) {
                merged.set(merged.size() - 1, new PortRange(last.min(), Math.max(last.max(), range.max())));
            } else {
                merged.add(range);
            }
        }
        return new PortList(merged);
    }

    @Override
    public String toString() {
        return ranges.stream().map(r -> r.min() == r.max() ? Integer.toString(r.min()) : r.min() + "-" + r.max())
                .collect(Collectors.joining(","));
    }
}
