package org.vlab.ipam.api.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.vlab.ipam.api.ApiProperties;
import reactor.core.publisher.Mono;

/**
 * Runs first for every request: fixes the request id, adds the headers every answer carries
 * (the help {@code Link} of api-v1.md and {@code X-Request-Id}), and writes one access-log
 * line per request with user, status, latency and request id.
 */
@Component
public class ResponseHeadersFilter implements WebFilter, Ordered {

    /** The exchange attribute under which authentication records the caller's name. */
    public static final String USER_ATTRIBUTE = "org.vlab.ipam.api.user";

    private static final Logger accessLog = LoggerFactory.getLogger("org.vlab.ipam.api.access");

    private final String vlabBase;

    ResponseHeadersFilter(ApiProperties properties) {
        this.vlabBase = properties.vlabBase();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long started = System.nanoTime();
        String requestId = RequestIds.of(exchange);
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> {
            HttpHeaders headers = response.getHeaders();
            headers.add(HttpHeaders.LINK, "<" + vlabBase + exchange.getRequest().getPath().value()
                    + "?describe=true>; rel=help");
            headers.set(RequestIds.HEADER, requestId);
            return Mono.empty();
        });
        return chain.filter(exchange).doFinally(signal -> {
            if (accessLog.isInfoEnabled()) {
                Object user = exchange.getAttribute(USER_ATTRIBUTE);
                accessLog.info("{} {} status={} user={} latency_ms={} request_id={}", exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath().value(),
                        response.getStatusCode() == null ? 200 : response.getStatusCode().value(),
                        user == null ? "-" : user, (System.nanoTime() - started) / 1_000_000, requestId);
            }
        });
    }
}
