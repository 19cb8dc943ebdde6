package org.vlab.ipam.api.web;

import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.server.ServerWebExchange;

/**
 * The request id: the client's {@code X-REQUEST-ID} when it is a sane token, else a fresh
 * UUID. It travels as the correlation id of every message the request causes.
 */
public final class RequestIds {

    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestIds.class.getName();
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    public static String of(ServerWebExchange exchange) {
        String id = exchange.getAttribute(ATTRIBUTE);
        if (id == null) {
            String sent = exchange.getRequest().getHeaders().getFirst(HEADER);
            id = sent != null && SANE.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
            exchange.getAttributes().put(ATTRIBUTE, id);
        }
        return id;
    }
}
