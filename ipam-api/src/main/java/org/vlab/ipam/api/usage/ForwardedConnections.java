package org.vlab.ipam.api.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.events.LogSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What a {@code firewall.log-batch} holds for usage, read record by record, so a malformed or
 * foreign record costs only itself: the batch (its gateway, source and the records that passed,
 * for admission), the connections of per-mapping log rules among them, and what was dropped.
 * A record is dropped when it is not a valid record, names another gateway than the batch, or
 * is dated beyond {@code latest} (a far-future time would pin {@code last_connection_at}).
 */
public record ForwardedConnections(FirewallLogBatch batch, List<Connection> connections, Map<Drop, Integer> dropped) {

    /** One new connection through a mapping, as the gateway's log reported it. */
    public record Connection(ConnPort port, Instant at, Ipv4Address source) {
    }

    /** Why records were not counted; the tag is the metric's {@code outcome}. */
    public enum Drop {
        MALFORMED("malformed"), OTHER_GATEWAY("other-gateway"), FUTURE_TIME("future-time"),
        UNKNOWN_PORT("unknown-port"), DUPLICATE_BATCH("duplicate-batch");

        private final String tag;

        Drop(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /**
     * Reads a batch's body. Throws {@link IllegalArgumentException} when the batch itself is not
     * readable (not JSON, no valid gateway, source or records list): then nothing of it counts.
     */
    public static ForwardedConnections read(byte[] body, Instant latest) {
        JsonNode root;
        GatewayId gateway;
        LogSource source;
        try {
            root = IpamJson.mapper().readTree(body);
            gateway = GatewayId.of(text(root, "gateway"));
            source = IpamJson.mapper().treeToValue(root.get("source"), LogSource.class);
        } catch (JacksonException | NullPointerException e) {
            throw new IllegalArgumentException("invalid firewall.log-batch: " + e.getMessage(), e);
        }
        JsonNode items = root.get("records");
        if (source == null || items == null || !items.isArray()) {
            throw new IllegalArgumentException("invalid firewall.log-batch: needs gateway, source and a records list");
        }
        List<FirewallLogRecord> records = new ArrayList<>(items.size());
        List<Connection> connections = new ArrayList<>();
        Map<Drop, Integer> dropped = new EnumMap<>(Drop.class);
        for (JsonNode item : items) {
            FirewallLogRecord record = record(item);
            Drop drop = record == null ? Drop.MALFORMED : !record.gateway().equals(gateway) ? Drop.OTHER_GATEWAY
                    : record.time().isAfter(latest) ? Drop.FUTURE_TIME : null;
            if (drop != null) {
                dropped.merge(drop, 1, Integer::sum);
                continue;
            }
            records.add(record);
            if (record.connPort() != null) {
                connections.add(new Connection(record.connPort(), record.time(), record.src()));
            }
        }
        return new ForwardedConnections(new FirewallLogBatch(gateway, source, records), List.copyOf(connections),
                dropped);
    }

    /** The batch's id: the log forwarder's message id, the same for every publication of the same bytes. */
    public String batchId() {
        LogSource source = batch.source();
        return source.fileId() + "@" + source.startOffset() + "-" + source.endOffset();
    }

    private static FirewallLogRecord record(JsonNode item) {
        try {
            return IpamJson.mapper().treeToValue(item, FirewallLogRecord.class);
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("invalid firewall.log-batch: " + field + " must be a string");
        }
        return value.asString();
    }
}
