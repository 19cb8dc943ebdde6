package org.vlab.ipam.api.usage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vlab.ipam.api.usage.ForwardedConnections.Connection;

/**
 * One port's connections in a batch, as {@code usage-record.lua} takes them: how many, the
 * latest, and how many in each epoch hour.
 */
final class PortUsage {

    private final int port;
    private int connections;
    private Connection latest;
    private final Map<Long, Integer> perHour = new TreeMap<>();

    private PortUsage(int port) {
        this.port = port;
    }

    /** The batch's connections grouped by port, in port order. */
    static Collection<PortUsage> of(List<Connection> connections) {
        Map<Integer, PortUsage> byPort = new TreeMap<>();
        for (Connection connection : connections) {
            byPort.computeIfAbsent(connection.port().value(), PortUsage::new).add(connection);
        }
        return byPort.values();
    }

    private void add(Connection connection) {
        connections++;
        if (latest == null || connection.at().isAfter(latest.at())) {
            latest = connection;
        }
        perHour.merge(Math.floorDiv(connection.at().toEpochMilli(), 3_600_000L), 1, Integer::sum);
    }

    /** Port, connections, the latest's epoch ms, ISO time and source, the number of hours, then hour and count pairs. */
    void appendTo(List<String> args) {
        List<String> mine = new ArrayList<>(List.of(Integer.toString(port), Integer.toString(connections),
                Long.toString(latest.at().toEpochMilli()), latest.at().toString(), latest.source().toString(),
                Integer.toString(perHour.size())));
        perHour.forEach((hour, count) -> {
            mine.add(Long.toString(hour));
            mine.add(Integer.toString(count));
        });
        args.addAll(mine);
    }
}
