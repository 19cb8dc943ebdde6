package org.vlab.ipam.api.auth;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Gives a handler method its {@link Caller} parameter. A handler that asks for a caller on a
 * route the authentication filter let through unauthenticated answers 401 rather than run
 * without one.
 */
final class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    private final String vlabBase;

    CallerArgumentResolver(String vlabBase) {
        this.vlabBase = vlabBase;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Caller.class.equals(parameter.getParameterType());
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
            ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElse(null);
        return caller != null ? Mono.just(caller) : Mono.error(AuthFailure.NO_TOKEN.answer(vlabBase));
    }
}
