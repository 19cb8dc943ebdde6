package org.vlab.ipam.api.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.server.ServerWebExchange;

/** The request's query parameters as the envelope's {@code params}: one string per name, the first given. */
public final class QueryParams {

    private QueryParams() {
    }

    public static Map<String, String> of(ServerWebExchange exchange) {
        Map<String, String> params = new LinkedHashMap<>();
        exchange.getRequest().getQueryParams().forEach((name, values) ->
                params.put(name, values.isEmpty() || values.get(0) == null ? "" : values.get(0)));
        return params;
    }
}
