package org.vlab.ipam.events;

import static org.vlab.ipam.events.MessageType.FIREWALL_LOG_BATCH;
import static org.vlab.ipam.events.MessageType.GATEWAY_HEARTBEAT;
import static org.vlab.ipam.events.MessageType.PORTMAP_APPLIED;
import static org.vlab.ipam.events.MessageType.PORTMAP_FAILED;
import static org.vlab.ipam.events.MessageType.PORTMAP_REQUESTED;
import static org.vlab.ipam.events.MessageType.REACHABILITY_OBSERVED;
import static org.vlab.ipam.events.MessageType.SNAPSHOT_REQUESTED;
import static org.vlab.ipam.events.MessageType.SNAPSHOT_TAKEN;

import java.util.List;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Documents the schemas must refuse: one field of an ordinary sample replaced by a bad value.
 * Most are refused by the records too; the few the Java reader coerces (a number where an
 * instant belongs) show where the schema is the stricter contract.
 */
final class BadDocuments {

    record Case(String description, IpamMessage base, String pointer, String badJson, boolean recordsRefuseToo) {

        JsonNode apply(JsonNode document) {
            JsonPointer at = JsonPointer.compile(pointer);
            JsonNode parent = document.at(at.head());
            JsonNode value = IpamJson.mapper().readTree(badJson);
            if (parent instanceof ArrayNode array) {
                array.set(at.last().getMatchingIndex(), value);
            } else {
                ((ObjectNode) parent).set(at.last().getMatchingProperty(), value);
            }
            return document;
        }

        @Override
        public String toString() {
            return MessageType.of(base).wireName() + " " + pointer + " = " + abbreviated() + ": " + description;
        }

        private String abbreviated() {
            return badJson.length() > 24 ? badJson.substring(0, 20) + "...\"" : badJson;
        }
    }

    private BadDocuments() {
    }

    static List<Case> all() {
        return List.of(
                bad(PORTMAP_REQUESTED, "/gateway", "\"al.ice\"", "gateway id with a dot"),
                bad(PORTMAP_REQUESTED, "/gateway", "\"\"", "empty gateway id"),
                bad(PORTMAP_REQUESTED, "/gateway", "\"-alice\"", "gateway id starting with '-'"),
                bad(PORTMAP_REQUESTED, "/gateway", quoted("a".repeat(65)), "gateway id of 65 characters"),
                bad(PORTMAP_REQUESTED, "/gateway", "{\"id\":\"alice\"}", "gateway as an object"),
                bad(PORTMAP_REQUESTED, "/conn_port", "0", "connection port 0"),
                bad(PORTMAP_REQUESTED, "/conn_port", "65536", "connection port above 65535"),
                bad(PORTMAP_REQUESTED, "/conn_port", "50013.5", "fractional port"),
                bad(PORTMAP_REQUESTED, "/generation", "-1", "negative generation"),
                bad(PORTMAP_REQUESTED, "/generation", "\"seven\"", "generation as text"),
                bad(PORTMAP_REQUESTED, "/action", "\"delete\"", "unknown action"),
                bad(PORTMAP_REQUESTED, "/action", "\"CREATE\"", "action in the wrong case"),
                bad(PORTMAP_REQUESTED, "/target/port", "0", "target port 0"),
                bad(PORTMAP_REQUESTED, "/target/port", "70000", "target port above 65535"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"192.168.1.256\"", "octet above 255"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"192.168.1\"", "three octets"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"010.1.1.1\"", "leading zero"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"192.168.1.20\\n\"", "trailing newline"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"win01.lab\"", "host name, not an address"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"127.0.0.1\"", "loopback target"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"0.1.2.3\"", "unspecified target"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"169.254.10.1\"", "link-local target"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"224.0.0.251\"", "multicast target"),
                bad(PORTMAP_REQUESTED, "/target/addr", "\"255.255.255.255\"", "broadcast target"),
                bad(PORTMAP_REQUESTED, "/target/name", "\"\"", "empty machine name"),
                bad(PORTMAP_REQUESTED, "/target/name", quoted("w".repeat(129)), "machine name of 129 characters"),
                bad(PORTMAP_REQUESTED, "/target/name", "\"win\\u000701\"", "control character in a name"),
                bad(PORTMAP_REQUESTED, "/target/name", "\"win01\\n\"", "newline in a name"),
                bad(PORTMAP_REQUESTED, "/target/component", "\"Win\\u2028dows\"", "line separator in a component"),
                bad(PORTMAP_REQUESTED, "/target/component", "\"Win\\u0085dows\"", "C1 control in a component"),
                bad(PORTMAP_REQUESTED, "/requested_at", "\"yesterday\"", "not an instant"),
                bad(PORTMAP_REQUESTED, "/requested_at", "\"2026-11-24 10:15:30\"", "instant without T and zone"),
                lenient(PORTMAP_REQUESTED, "/requested_at", "1795515330", "epoch seconds, not an ISO-8601 string"),
                bad(PORTMAP_APPLIED, "/conn_port", "null", "null instead of a port"),
                bad(PORTMAP_FAILED, "/reason", "\"\"", "empty reason"),
                bad(PORTMAP_FAILED, "/reason", "\"  \\n \"", "blank reason"),
                bad(PORTMAP_FAILED, "/reason", quoted("r".repeat(2001)), "reason of 2001 characters"),
                bad(GATEWAY_HEARTBEAT, "/wan_address", "\"203.0.113.256\"", "bad WAN address"),
                bad(GATEWAY_HEARTBEAT, "/lab_networks/0", "\"192.168.1.0/33\"", "prefix length above 32"),
                bad(GATEWAY_HEARTBEAT, "/lab_networks/0", "\"192.168.1.0\"", "network without prefix length"),
                bad(GATEWAY_HEARTBEAT, "/lab_networks", "\"192.168.1.0/24\"", "networks not in a list"),
                bad(GATEWAY_HEARTBEAT, "/rule_count", "-1", "negative rule count"),
                bad(GATEWAY_HEARTBEAT, "/backend", quoted("b".repeat(33)), "backend of 33 characters"),
                bad(REACHABILITY_OBSERVED, "/address", "\"127.0.0.1\"", "loopback lab address"),
                bad(REACHABILITY_OBSERVED, "/icmp/outcome", "\"lost\"", "unknown probe outcome"),
                bad(REACHABILITY_OBSERVED, "/icmp/sent", "-1", "negative echo count"),
                bad(REACHABILITY_OBSERVED, "/tcp/0/port", "0", "probed port 0"),
                bad(REACHABILITY_OBSERVED, "/tcp", "{}", "probes not in a list"),
                bad(REACHABILITY_OBSERVED, "/tcp/0/latency_millis", "-0.5", "negative latency"),
                bad(REACHABILITY_OBSERVED, "/tcp/0/latency_millis", "\"NaN\"", "NaN latency, as Jackson writes it"),
                bad(REACHABILITY_OBSERVED, "/icmp/rtt_millis", "\"Infinity\"", "infinite round-trip time"),
                bad(REACHABILITY_OBSERVED, "/routable", "\"yes\"", "verdict as text"),
                bad(FIREWALL_LOG_BATCH, "/records/0/src", "\"10.7.1\"", "bad source address"),
                bad(FIREWALL_LOG_BATCH, "/records/0/src_port", "-1", "negative port"),
                bad(FIREWALL_LOG_BATCH, "/records/0/dst_port", "65536", "port above 65535"),
                bad(FIREWALL_LOG_BATCH, "/records/0/protocol", "\"\"", "empty protocol"),
                bad(FIREWALL_LOG_BATCH, "/records/1/conn_port", "0", "connection port 0"),
                bad(FIREWALL_LOG_BATCH, "/source/start_offset", "-1", "negative offset"),
                bad(SNAPSHOT_REQUESTED, "/requester", "\"\"", "empty requester"),
                bad(SNAPSHOT_TAKEN, "/mappings/0/state", "\"gone\"", "unknown mapping state"),
                bad(SNAPSHOT_TAKEN, "/mappings/0/target/addr", "\"192.168.1.300\"", "bad target in a snapshot"),
                bad(SNAPSHOT_TAKEN, "/generation", "-1", "negative snapshot generation"));
    }

    private static Case bad(MessageType type, String pointer, String badJson, String description) {
        return new Case(description, MessageSamples.first(type), pointer, badJson, true);
    }

    private static Case lenient(MessageType type, String pointer, String badJson, String description) {
        return new Case(description, MessageSamples.first(type), pointer, badJson, false);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
