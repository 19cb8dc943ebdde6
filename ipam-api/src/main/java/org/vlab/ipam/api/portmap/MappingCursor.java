package org.vlab.ipam.api.portmap;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the fields a listing shows from a stored mapping's JSON and its address's reachability
 * JSON, token by token into these slots. One cursor serves a whole response, so rendering
 * thousands of mappings builds no map, record or date per mapping.
 */
public final class MappingCursor {

    private int connPort;
    private String name;
    private String targetAddr;
    private int targetPort;
    private String component;
    private String state;
    private String created;
    private String error;
    private Boolean routable;
    private String lastSeen;

    /** Reads a mapping and, from {@code reachability} (address to verdict JSON), its address's verdict. */
    public MappingCursor read(String mapping, java.util.Map<String, String> reachability) {
        name = targetAddr = component = state = created = error = lastSeen = null;
        routable = null;
        try (JsonParser parser = JsonMapper.shared().createParser(mapping)) {
            parser.nextToken();
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
                    default -> parser.skipChildren();
                }
            }
        }
        String verdict = reachability.get(targetAddr);
        if (verdict != null) {
            readReachability(verdict);
        }
        return this;
    }

    private void readReachability(String json) {
        try (JsonParser parser = JsonMapper.shared().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("routable".equals(field)) {
                    routable = value == JsonToken.VALUE_TRUE;
                } else if ("last_seen".equals(field)) {
                    lastSeen = parser.getString();
                }
            }
        }
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

    /** Set only when a removal failed. */
    public String error() {
        return error;
    }

    /** Null before the address was first probed. */
    public Boolean routable() {
        return routable;
    }

    /** ISO-8601; null when never seen alive. */
    public String lastSeen() {
        return lastSeen;
    }
}
