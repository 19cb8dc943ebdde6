package org.vlab.ipam.api.portmap;

import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Walks a view's stored mappings in order, reading the fields a listing shows token by token
 * into these slots, with each address's reachability and each port's usage. One parser reads every mapping of a
 * response (they are one stream of JSON objects), so rendering thousands of mappings builds no
 * parser, map, record or date per mapping.
 */
public final class MappingCursor implements AutoCloseable {

    private final JsonParser parser;
    private final Map<String, String> reachability;
    private final Map<String, String> usages;
    private int connPort;
    private String name;
    private String targetAddr;
    private int targetPort;
    private String component;
    private String state;
    private String created;
    private String error;
    private String expiresAt;
    private String protocol;
    private java.util.List<String> allowedSources;
    private Boolean routable;
    private String lastSeen;
    private MappingUsage usage;

    public MappingCursor(GatewayView view) {
        this.parser = JsonMapper.shared().createParser(new JoinedReader(view.mappings()));
        this.reachability = view.reachability();
        this.usages = view.usage();
    }

    /** Moves to the next mapping; false after the last. */
    public boolean next() {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        name = targetAddr = component = state = created = error = expiresAt = protocol = null;
        allowedSources = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "conn_port" -> connPort = parser.getIntValue();
                case "name" -> name = parser.getString();
                case "target_addr" -> targetAddr = parser.getString();
                case "target_port" -> targetPort = parser.getIntValue();
                case "component" -> component = parser.getString();
                case "state" -> state = parser.getString();
                case "created" -> created = parser.getString();
                case "error" -> error = parser.getString();
                case "expires_at" -> expiresAt = parser.getString();
                case "protocol" -> protocol = parser.getString();
                case "allowed_sources" -> allowedSources = readStrings();
                default -> parser.skipChildren();
            }
        }
        readReachability(reachability.get(targetAddr));
        usage = usages.isEmpty() ? null : MappingUsage.parse(usages.get(Integer.toString(connPort)));
        return true;
    }

    /** The array the parser stands on, as strings. */
    private java.util.List<String> readStrings() {
        java.util.List<String> strings = new java.util.ArrayList<>();
        while (parser.nextToken() == JsonToken.VALUE_STRING) {
            strings.add(parser.getString());
        }
        return strings;
    }

    /**
     * The verdict JSON is written by reachability-record.lua alone: a boolean and an ISO-8601
     * instant (no character that JSON escapes), so finding the two values needs no parser.
     */
    private void readReachability(String verdict) {
        routable = null;
        lastSeen = null;
        if (verdict == null) {
            return;
        }
        int at = verdict.indexOf("\"routable\":");
        if (at >= 0) {
            routable = verdict.startsWith("true", at + 11);
        }
        at = verdict.indexOf("\"last_seen\":\"");
        if (at >= 0) {
            lastSeen = verdict.substring(at + 13, verdict.indexOf('"', at + 13));
        }
    }

    @Override
    public void close() {
        parser.close();
    }

    public int connPort() {
        return connPort;
    }

    public String name() {
        return name;
    }

    public String targetAddr() {
        return targetAddr;
    }

    public int targetPort() {
        return targetPort;
    }

    public String component() {
        return component;
    }

    public String state() {
        return state;
    }

    public String created() {
        return created;
    }

    /** Set only when it failed: a removal the agent could not make, or a mapping the agent refused after applying it. */
    public String error() {
        return error;
    }

    /** ISO-8601; set only for a mapping with a lease. */
    public String expiresAt() {
        return expiresAt;
    }

    /** {@code udp}; null for tcp, the default, which the stored JSON leaves out. */
    public String protocol() {
        return protocol;
    }

    /** The CIDRs allowed to use the mapping; null when every source may, the default the stored JSON leaves out. */
    public java.util.List<String> allowedSources() {
        return allowedSources;
    }

    /** Null before the address was first probed. */
    public Boolean routable() {
        return routable;
    }

    /** ISO-8601; null when never seen alive. */
    public String lastSeen() {
        return lastSeen;
    }

    /** Null until a forwarded connection through the mapping was counted. */
    public MappingUsage usage() {
        return usage;
    }

    /** The stored JSON objects one after the other, as one stream, without copying them into one string. */
    private static final class JoinedReader extends java.io.Reader {

        private final java.util.List<String> parts;
        private int part;
        private int offset;

        JoinedReader(java.util.List<String> parts) {
            this.parts = parts;
        }

        @Override
        public int read(char[] buffer, int from, int length) {
            if (part == parts.size()) {
                return -1;
            }
            String current = parts.get(part);
            int count = Math.min(length, current.length() - offset);
            current.getChars(offset, offset + count, buffer, from);
            offset += count;
            if (offset == current.length()) {
                part++;
                offset = 0;
            }
            return count;
        }

        @Override
        public void close() {
        }
    }
}
