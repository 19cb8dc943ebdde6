package org.vlab.ipam.api.auth;

import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * Keeps the socket's peer the only source of a request's remote address, so that
 * {@link TrustedProxies} alone decides whether a forwarded header is believed. Spring Boot
 * turns Reactor Netty's forwarded-header handling on by itself when it detects Kubernetes or
 * Cloud Foundry; Netty then takes the first {@code X-Forwarded-For} entry (or
 * {@code Forwarded: for=}), which the client writes, as the peer, and a stolen version-2
 * token would pass its address binding. {@code application.yaml} sets the strategy to
 * {@code none}; this refuses to start when anything sets it otherwise.
 */
final class ForwardedHeadersPolicy {

    static final String STRATEGY = "server.forward-headers-strategy";

    private ForwardedHeadersPolicy() {
    }

    /**
     * Fails unless the strategy is explicitly {@code none} and no {@code ForwardedHeaderTransformer}
     * (what the {@code framework} strategy installs) is in the context.
     */
    static void check(Environment environment, boolean forwardedHeaderTransformerPresent) {
        String strategy = environment.getProperty(STRATEGY);
        if (strategy == null || !"none".equals(strategy.trim().toLowerCase(Locale.ROOT))
                || forwardedHeaderTransformerPresent) {
            throw new IllegalStateException(STRATEGY + " (SERVER_FORWARD_HEADERS_STRATEGY) must be 'none', but is "
                    + (strategy == null ? "unset, which lets Spring Boot turn it on when it detects Kubernetes"
                            : "'" + strategy + "'")
                    + (forwardedHeaderTransformerPresent ? " and a ForwardedHeaderTransformer is registered" : "")
                    + ": clients could then choose the address version-2 tokens are bound to. "
                    + "Name the proxies whose X-Forwarded-For is believed in IPAM_TRUSTED_PROXIES (ipam.auth.trusted-proxies) instead.");
        }
    }
}
