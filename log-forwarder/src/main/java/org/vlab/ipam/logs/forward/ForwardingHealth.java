package org.vlab.ipam.logs.forward;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code forwarding} health component: DOWN when the forwarding loop has died, or when
 * its sessions keep failing (the log unreadable, the state directory not writable) for
 * {@value #FAILED_SESSIONS} attempts in a row; UP otherwise, also while the broker is away
 * (the {@code rabbit} component tells that) or the log does not exist yet.
 */
final class ForwardingHealth implements HealthIndicator {

    static final int FAILED_SESSIONS = 3;

    private final ForwarderLifecycle lifecycle;
    private final LogForwarder forwarder;

    ForwardingHealth(ForwarderLifecycle lifecycle, LogForwarder forwarder) {
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
    }

    @Override
    public Health health() {
        Throwable died = lifecycle.died();
        if (died != null) {
            return Health.down().withDetail("error", "the forwarding loop died: " + died).build();
        }
        if (forwarder.failedSessions() >= FAILED_SESSIONS) {
            return Health.down().withDetail("error", forwarder.failing()).build();
        }
        return Health.up().build();
    }
}
