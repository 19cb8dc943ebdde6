package org.vlab.ipam.api.portmap;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The content of {@code GET /api/1/ipam/portmap}: the mappings keyed by connection port, the
 * gateway's address, and while its agent reports it degraded, {@code gateway_state} and
 * {@code gateway_error}. Written straight from the stored JSON by {@link Writer}.
 */
@JsonSerialize(using = PortMapListing.Writer.class)
record PortMapListing(GatewayView view, String gatewayIp, String degradedReason) {

    /** The usage fields of a port or machine record: only once a connection was counted, so api-v1's answers stay as they were. */
    static void writeUsage(MappingUsage usage, JsonGenerator json) {
        if (usage == null) {
            return;
        }
        json.writeName("last_connection_at");
        json.writeString(usage.lastConnectionAt());
        json.writeName("last_source");
        json.writeString(usage.lastSource());
        json.writeName("connections_24h");
        json.writeNumber(usage.connections24h());
    }

    /** {@code protocol} and {@code allowed_sources}, each only when not at its default (tcp, every source), as api v1 showed neither. */
    static void writeAccess(MappingCursor mapping, JsonGenerator json) {
        if (mapping.protocol() != null) {
            json.writeName("protocol");
            json.writeString(mapping.protocol());
        }
        if (mapping.allowedSources() != null) {
            json.writeName("allowed_sources");
            json.writeStartArray();
            for (String cidr : mapping.allowedSources()) {
                json.writeString(cidr);
            }
            json.writeEndArray();
        }
    }

    /** Streams the listing: one reusable cursor, no map or record per mapping. */
    static final class Writer extends ValueSerializer<PortMapListing> {

        @Override
        public void serialize(PortMapListing listing, JsonGenerator json, SerializationContext context) {
            GatewayView view = listing.view();
            json.writeStartObject();
            json.writeName("ports");
            json.writeStartObject();
            try (MappingCursor mapping = new MappingCursor(view)) {
                while (mapping.next()) {
                    json.writeName(Integer.toString(mapping.connPort()));
                    writePort(mapping, json);
                }
            }
            json.writeEndObject();
            json.writeName("gateway_ip");
            json.writeString(listing.gatewayIp());
            if (listing.degradedReason() != null) {
                // only while degraded, so clients of a healthy gateway see exactly api-v1's fields
                json.writeName("gateway_state");
                json.writeString("degraded");
                json.writeName("gateway_error");
                json.writeString(listing.degradedReason());
            }
            json.writeEndObject();
        }

        private static void writePort(MappingCursor mapping, JsonGenerator json) {
            json.writeStartObject();
            json.writeName("name");
            json.writeString(mapping.name());
            json.writeName("target_addr");
            json.writeString(mapping.targetAddr());
            json.writeName("target_port");
            json.writeNumber(mapping.targetPort());
            json.writeName("component");
            json.writeString(mapping.component());
            json.writeName("state");
            json.writeString(mapping.state());
            json.writeName("routable");
            if (mapping.routable() == null) {
                json.writeNull();
            } else {
                json.writeBoolean(mapping.routable());
            }
            json.writeName("last_seen");
            json.writeString(mapping.lastSeen());
            json.writeName("created");
            json.writeString(mapping.created());
            if (mapping.error() != null) {
                json.writeName("error");
                json.writeString(mapping.error());
            }
            if (mapping.expiresAt() != null) {
                // only for a mapping with a lease, so every other mapping shows exactly api-v1's fields
                json.writeName("expires_at");
                json.writeString(mapping.expiresAt());
            }
            writeAccess(mapping, json);
            writeUsage(mapping.usage(), json);
            json.writeEndObject();
        }
    }
}
