package org.vlab.ipam.api.describe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.vlab.ipam.api.web.Envelope;
import org.vlab.ipam.api.web.QueryParams;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers {@code ?describe=true} on every route with the JSON Schemas of its query
 * parameters and bodies ({@code get_args}, {@code post}, {@code delete}), as api-v1.md asks,
 * before authentication: a description holds no user data.
 */
@Component
class DescribeFilter implements WebFilter, Ordered {

    private static final Map<String, String> ROUTES = Map.of("/api/1/ipam/portmap", "portmap",
            "/api/1/ipam/addr", "addr", "/api/1/ipam/healthcheck", "healthcheck",
            "/api/1/ipam/portmap/renew", "portmap-renew");

    private final JsonMapper json;
    private final Map<String, JsonNode> descriptions;

    DescribeFilter(JsonMapper json) {
        this.json = json;
        this.descriptions = Map.of("portmap", load(json, "portmap"), "addr", load(json, "addr"),
                "healthcheck", load(json, "healthcheck"), "portmap-renew", load(json, "portmap-renew"));
    }

    private static JsonNode load(JsonMapper json, String name) {
        try (InputStream in = new ClassPathResource("describe/" + name + ".json").getInputStream()) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("describe/" + name + ".json is missing from the jar", e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String route = ROUTES.get(exchange.getRequest().getPath().value());
        if (route == null || !"true".equalsIgnoreCase(exchange.getRequest().getQueryParams().getFirst("describe"))) {
            return chain.filter(exchange);
        }
        byte[] body = json.writeValueAsBytes(Envelope.ok(descriptions.get(route), QueryParams.of(exchange)));
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }

    /** For tests and the OpenAPI document: the description of a route. */
    JsonNode description(String route) {
        return descriptions.get(route);
    }
}
