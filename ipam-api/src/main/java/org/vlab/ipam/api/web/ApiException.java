package org.vlab.ipam.api.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the API answers with an error status and a message meant for the client. The
 * message must never contain internal details; {@link EnvelopeExceptionHandler} writes it.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final transient Object content;
    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String message) {
        this(status, message, null, Map.of());
    }

    public ApiException(HttpStatus status, String message, Object content, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.content = content;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public HttpStatus status() {
        return status;
    }

    public Object content() {
        return content;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
