package org.vlab.ipam.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The body of every response, errors included: exactly {@code error}, {@code content} and
 * {@code params} (api-v1.md, "Response envelope"). {@code error} is written even when null.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Envelope(String error, Object content, Map<String, String> params) {

    public static Envelope ok(Object content, Map<String, String> params) {
        return new Envelope(null, content == null ? Map.of() : content, params);
    }

    public static Envelope failed(String error, Object content, Map<String, String> params) {
        return new Envelope(error, content == null ? Map.of() : content, params);
    }
}
