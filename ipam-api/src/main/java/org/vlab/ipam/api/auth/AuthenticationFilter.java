package org.vlab.ipam.api.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.web.ResponseHeadersFilter;
import reactor.core.publisher.Mono;

/**
 * Authenticates every request under {@code /api/1/ipam/} except the health check and
 * {@code describe=true} requests: the token comes from {@code X-Auth} or
 * {@code Authorization: Bearer}; the verified {@link Caller} is recorded on the exchange.
 * Paths are matched the way request mappings match them, so a path parameter such as
 * {@code /api/1/ipam;x=1/portmap} cannot slip past.
 */
@Component
class AuthenticationFilter implements WebFilter, Ordered {

    /** After {@link ResponseHeadersFilter} (HIGHEST_PRECEDENCE), before rate limiting. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    static final String TOKEN_HEADER = "X-Auth";
    private static final String BEARER = "Bearer ";

    private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final PathPattern PROTECTED = PathPatternParser.defaultInstance.parse("/api/1/ipam/**");
    private static final PathPattern HEALTHCHECK = PathPatternParser.defaultInstance.parse("/api/1/ipam/healthcheck");

    private final TokenVerifier verifier;
    private final String vlabBase;

    AuthenticationFilter(TokenVerifier verifier, ApiProperties properties) {
        this.verifier = verifier;
        this.vlabBase = properties.vlabBase();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!needsAuthentication(request)) {
            return chain.filter(exchange);
        }
        String token = token(request.getHeaders());
        if (token == null) {
            log.debug("No auth token on {} {}", request.getMethod(), request.getPath().value());
            return Mono.error(AuthFailure.NO_TOKEN.answer(vlabBase));
        }
        return verifier.authenticate(token, request)
                .onErrorMap(TokenRejectedException.class, rejected -> refused(request, rejected))
                .flatMap(caller -> {
                    exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
                    exchange.getAttributes().put(ResponseHeadersFilter.USER_ATTRIBUTE, caller.username());
                    return chain.filter(exchange);
                });
    }

    private Throwable refused(ServerHttpRequest request, TokenRejectedException rejected) {
        if (rejected.failure() == AuthFailure.EXPIRED) {
            log.debug("Refused an expired token from {}: {}", request.getRemoteAddress(), rejected.getMessage());
        } else {
            log.info("Refused a token from {} on {} {}: {}", request.getRemoteAddress(), request.getMethod(),
                    request.getPath().value(), rejected.getMessage());
        }
        return rejected.failure().answer(vlabBase);
    }

    static boolean needsAuthentication(ServerHttpRequest request) {
        PathContainer path = request.getPath().pathWithinApplication();
        if (!PROTECTED.matches(path) || HEALTHCHECK.matches(path)) {
            return false;
        }
        String describe = request.getQueryParams().getFirst("describe");
        return !"true".equalsIgnoreCase(describe);
    }

    /** The token of {@code X-Auth}, else of {@code Authorization: Bearer}; null when neither carries one. */
    private static String token(HttpHeaders headers) {
        String token = headers.getFirst(TOKEN_HEADER);
        if (token == null || token.isBlank()) {
            String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
            token = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? authorization.substring(BEARER.length()) : null;
        }
        return token == null || token.isBlank() ? null : token.trim();
    }
}
