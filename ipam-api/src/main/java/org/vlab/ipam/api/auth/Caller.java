package org.vlab.ipam.api.auth;

import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;
import org.vlab.ipam.domain.GatewayId;

/**
 * The authenticated user of a request, taken from a verified token. A controller receives it
 * by declaring a {@code Caller} parameter; {@link Tenancy} turns it into the gateway to act on.
 *
 * @param username the token's {@code username}, always a valid {@link GatewayId}
 * @param tokenVersion the token's {@code version}: 1 or 2
 */
public record Caller(String username, int tokenVersion) {

    /** The exchange attribute holding the caller; only authentication sets it. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        GatewayId.of(username);
    }

    /** The caller's own gateway: a gateway's id is its owner's username. */
    public GatewayId gateway() {
        return GatewayId.of(username);
    }

    /** The caller authentication recorded on this exchange, empty for unauthenticated routes. */
    public static Optional<Caller> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
