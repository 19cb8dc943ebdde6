package org.vlab.ipam.api.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One hostile HTTP request, exactly as it goes on the wire: the raw path (never re-encoded),
 * headers in order (a name may repeat), and body bytes (null: none).
 *
 * @param expectedStatus the one status the API must answer, or 0 for any 4xx
 * @param viaTrustedProxy sent from the address configured as a trusted proxy
 * @param httpLayer refused by the HTTP server itself (Reactor Netty) before any application code
 *     runs, with {@code expectedStatus} and no body: a URI that is no URI, headers over 8 KiB
 */
record HostileRequest(Category category, String what, String method, String path, List<Map.Entry<String, String>> headers,
        byte[] body, int expectedStatus, boolean viaTrustedProxy, boolean httpLayer) {

    static final String PORTMAP = "/api/1/ipam/portmap";
    static final String JSON = "application/json";

    HostileRequest {
        headers = List.copyOf(headers);
    }

    /** A JSON POST to the port-map route with {@code token} (null: none). */
    static HostileRequest post(Category category, String what, String token, String json) {
        return new HostileRequest(category, what, "POST", PORTMAP, auth(token, Map.entry("Content-Type", JSON)),
                json.getBytes(StandardCharsets.UTF_8), 0, false, false);
    }

    static HostileRequest delete(Category category, String what, String token, String json) {
        return new HostileRequest(category, what, "DELETE", PORTMAP, auth(token, Map.entry("Content-Type", JSON)),
                json.getBytes(StandardCharsets.UTF_8), 0, false, false);
    }

    static HostileRequest get(Category category, String what, String token, String pathAndQuery) {
        return new HostileRequest(category, what, "GET", pathAndQuery, auth(token), null, 0, false, false);
    }

    HostileRequest expecting(int status) {
        return new HostileRequest(category, what, method, path, headers, body, status, viaTrustedProxy, httpLayer);
    }

    /** Expects the HTTP server to refuse it with {@code status} and no body, before the application sees it. */
    HostileRequest refusedByTheHttpLayer(int status) {
        return new HostileRequest(category, what, method, path, headers, body, status, viaTrustedProxy, true);
    }

    HostileRequest throughTrustedProxy() {
        return new HostileRequest(category, what, method, path, headers, body, expectedStatus, true, httpLayer);
    }

    HostileRequest at(String otherPath) {
        return new HostileRequest(category, what, method, otherPath, headers, body, expectedStatus, viaTrustedProxy,
                httpLayer);
    }

    HostileRequest withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new HostileRequest(category, what, method, path, more, body, expectedStatus, viaTrustedProxy, httpLayer);
    }

    @SafeVarargs
    static List<Map.Entry<String, String>> auth(String token, Map.Entry<String, String>... others) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (token != null) {
            headers.add(Map.entry("X-Auth", token));
        }
        headers.addAll(List.of(others));
        return headers;
    }

    @Override
    public String toString() {
        return category + " / " + what + ": " + method + " " + path;
    }
}
