package org.vlab.ipam.api.portmap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import org.vlab.ipam.api.portmap.PortMapStore.Idempotency;
import org.vlab.ipam.api.web.ApiException;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.PortMapTarget;
import tools.jackson.databind.JsonNode;

/**
 * Reads the POST and DELETE bodies of api-v1.md into domain values. Every refusal is a 400
 * naming the field and the rule it broke; nothing reaches Redis unless all fields are valid.
 */
final class PortMapRequests {

    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private PortMapRequests() {
    }

    static PortMapTarget createBody(JsonNode body) {
        JsonNode object = requireObject(body);
        LabAddress addr = field(object, "target_addr", LabAddress::of);
        TargetPort port = TargetPort.of(integer(object, "target_port"));
        MachineName name = field(object, "target_name", MachineName::of);
        Component component = field(object, "target_component", Component::of);
        return new PortMapTarget(addr, port, name, component, TargetAccess.protocol(object),
                TargetAccess.allowedSources(object));
    }

    /** The optional {@code expires_in} of a POST body: null when absent (no lease, as in api v1). */
    static LeaseTerm leaseOf(JsonNode body) {
        JsonNode value = body.get("expires_in");
        return value == null ? null : leaseTerm(body);
    }

    /** A renewal: the mapping's {@code conn_port} and the lease's new {@code expires_in}, both required. */
    record Renewal(ConnPort port, LeaseTerm term) {
    }

    static Renewal renewBody(JsonNode body) {
        ConnPort port = deleteBody(body);
        return new Renewal(port, leaseTerm(body));
    }

    private static LeaseTerm leaseTerm(JsonNode body) {
        try {
            return new LeaseTerm(integer(body, "expires_in"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static ConnPort deleteBody(JsonNode body) {
        int port = integer(requireObject(body), "conn_port");
        try {
            return ConnPort.of(port);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("conn_port must be between 1 and 65535; supplied: " + port);
        }
    }

    /** A query parameter that must be an integer, in api-v1.md's words. */
    static Integer queryPort(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Param " + name + " must be a number, supplied: " + value);
        }
    }

    /** The client's Idempotency-Key (hashed, so any length up to the limit makes a short Redis key) and the body's fingerprint. */
    static Idempotency idempotency(String key, PortMapTarget target, LeaseTerm lease) {
        if (key == null) {
            return Idempotency.NONE;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.badRequest("Idempotency-Key must be 1-" + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " printable ASCII characters without spaces");
        }
        String fingerprint = sha256(target.addr() + "\n" + target.port().value() + "\n" + target.name().value() + "\n"
                + target.component().value() + (lease == null ? "" : "\n" + lease.seconds())
                + TargetAccess.fingerprint(target.protocol(), target.allowedSources()));
        return new Idempotency(sha256(key), fingerprint, key);
    }

    private static JsonNode requireObject(JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiException.badRequest("Request body is required");
        }
        if (!body.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        return body;
    }

    private static <T> T field(JsonNode object, String name, Function<String, T> parse) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(name + " is required");
        }
        if (!value.isString()) {
            throw ApiException.badRequest(name + " must be a string; supplied: " + value);
        }
        try {
            return parse.apply(value.asString());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw ApiException.badRequest(message.startsWith(name) ? message : name + ": " + message);
        }
    }

    private static int integer(JsonNode object, String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(name + " is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.badRequest(name + " must be an integer; supplied: " + value);
        }
        int number = value.asInt();
        if (name.equals("target_port") && (number < 1 || number > 65535)) {
            throw ApiException.badRequest("target_port must be between 1 and 65535; supplied: " + number);
        }
        return number;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
