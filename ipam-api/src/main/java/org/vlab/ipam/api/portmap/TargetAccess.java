package org.vlab.ipam.api.portmap;

import java.util.ArrayList;
import java.util.List;
import org.vlab.ipam.api.web.ApiException;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Protocol;
import tools.jackson.databind.JsonNode;

/**
 * Reads the optional {@code protocol} and {@code allowed_sources} of a POST body
 * (docs/api-extensions.md). Absent or null means the api-v1 behaviour: tcp, every source.
 * Each refusal is a 400 naming the field, and the element for a list.
 */
final class TargetAccess {

    private TargetAccess() {
    }

    static Protocol protocol(JsonNode body) {
        JsonNode value = body.get("protocol");
        if (value == null || value.isNull()) {
            return Protocol.TCP;
        }
        if (!value.isString()) {
            throw ApiException.badRequest("protocol must be a string, \"tcp\" or \"udp\"; supplied: " + value);
        }
        try {
            return Protocol.of(value.asString());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static AllowedSources allowedSources(JsonNode body) {
        JsonNode value = body.get("allowed_sources");
        if (value == null || value.isNull()) {
            return AllowedSources.ANY;
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("allowed_sources must be a list of IPv4 CIDR strings such as "
                    + "[\"203.0.113.0/24\"]; supplied: " + value);
        }
        if (value.isEmpty() || value.size() > AllowedSources.MAX) {
            throw ApiException.badRequest("allowed_sources must name 1 to " + AllowedSources.MAX
                    + " networks (leave it out to allow every source); supplied: " + value.size());
        }
        List<String> cidrs = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode cidr = value.get(i);
            if (!cidr.isString()) {
                throw ApiException.badRequest("allowed_sources[" + i + "] must be a string such as \"203.0.113.0/24\"; supplied: "
                        + cidr);
            }
            cidrs.add(cidr.asString());
        }
        try {
            return AllowedSources.of(cidrs);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** What the two fields add to an Idempotency-Key's fingerprint: nothing at their defaults, so older keys still match. */
    static String fingerprint(Protocol protocol, AllowedSources sources) {
        return (protocol == Protocol.TCP ? "" : "\nprotocol:" + protocol)
                + (sources.isAny() ? "" : "\nallowed_sources:" + sources);
    }
}
