package org.vlab.ipam.api.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON bodies written by hand, so a test controls every byte: a valid POST body with one
 * field's literal replaced or left out, and string literals that escape everything outside
 * printable ASCII as {@code \\uXXXX} (which also expresses lone surrogates).
 */
final class Bodies {

    static final Map<String, String> VALID = valid(HostileApiTestBase.VICTIM_TARGET);
    static final String[] FIELDS = VALID.keySet().toArray(String[]::new);

    private Bodies() {
    }

    private static Map<String, String> valid(String addr) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("target_addr", string(addr));
        fields.put("target_port", "3389");
        fields.put("target_name", string("win02"));
        fields.put("target_component", string("Windows"));
        return fields;
    }

    static String valid() {
        return object(VALID);
    }

    /** The valid body with {@code field}'s value replaced by the JSON literal {@code literal}. */
    static String with(String field, String literal) {
        Map<String, String> fields = new LinkedHashMap<>(VALID);
        fields.put(field, literal);
        return object(fields);
    }

    static String without(String field) {
        Map<String, String> fields = new LinkedHashMap<>(VALID);
        fields.remove(field);
        return object(fields);
    }

    static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(field -> string(field.getKey()) + ":" + field.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    static String string(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                literal.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                literal.append(String.format("\\u%04x", (int) c));
            } else {
                literal.append(c);
            }
        }
        return literal.append('"').toString();
    }
}
