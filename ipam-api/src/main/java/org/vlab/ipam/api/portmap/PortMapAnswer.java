package org.vlab.ipam.api.portmap;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.events.MappingState;

/** The status, error and content a POST or DELETE answers with. */
record PortMapAnswer(HttpStatus status, String error, Map<String, Object> content) {

    static final String NO_SUCH_RECORD = "No such port mapping record";

    static PortMapAnswer ok(Map<String, Object> content) {
        return new PortMapAnswer(HttpStatus.OK, null, content);
    }

    static PortMapAnswer accepted(Map<String, Object> content) {
        return new PortMapAnswer(HttpStatus.ACCEPTED, null, content);
    }

    static PortMapAnswer failed(String error, Map<String, Object> content) {
        return new PortMapAnswer(HttpStatus.INTERNAL_SERVER_ERROR, error, content);
    }

    /** 200 with the port once applied, 202 while the agent has not answered, 500 with its reason after a failure. */
    static PortMapAnswer of(Mapping mapping) {
        return switch (mapping.state()) {
            case APPLIED -> ok(Map.of("conn_port", mapping.connPort().value()));
            case FAILED -> failed(reasonOrDefault(mapping.error()), content(mapping.connPort(), MappingState.FAILED));
            case PENDING, REMOVING -> accepted(content(mapping.connPort(), mapping.state()));
        };
    }

    /** 202: the change is recorded and the re-publisher drives it to the agent, whatever failed after the write. */
    static PortMapAnswer stillPending(ConnPort port, boolean removal) {
        return accepted(content(port, removal ? MappingState.REMOVING : MappingState.PENDING));
    }

    /**
     * 404, api-v1's words for a mapping that is not there: a create that another request's
     * DELETE overtook before the agent confirmed it. Its port is never handed out, since it
     * may already belong to a new mapping.
     */
    static PortMapAnswer overtaken(ConnPort port) {
        return new PortMapAnswer(HttpStatus.NOT_FOUND, NO_SUCH_RECORD + ": the mapping on conn_port " + port
                + " was deleted by another request before the gateway confirmed it", Map.of());
    }

    /**
     * A create's answer with its lease's end, {@code expires_at}, after the other fields: only
     * for a mapping created with {@code expires_in} and only while it stands (200 or 202), so
     * every other answer is api v1's.
     */
    PortMapAnswer withLeaseEnd(java.time.Instant expiresAt) {
        if (expiresAt == null || !content.containsKey("conn_port")
                || (status != HttpStatus.OK && status != HttpStatus.ACCEPTED)) {
            return this;
        }
        Map<String, Object> extended = new LinkedHashMap<>(content);
        extended.put("expires_at", expiresAt.toString());
        return new PortMapAnswer(status, error, extended);
    }

    static String reasonOrDefault(String reason) {
        return reason == null || reason.isBlank() ? "The gateway agent could not apply the change" : reason;
    }

    static Map<String, Object> content(ConnPort port, MappingState state) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("conn_port", port.value());
        if (state != null) {
            content.put("state", state.name().toLowerCase(Locale.ROOT));
        }
        return content;
    }
}
