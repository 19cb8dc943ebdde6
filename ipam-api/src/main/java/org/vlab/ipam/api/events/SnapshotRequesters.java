package org.vlab.ipam.api.events;

import java.util.List;
import org.vlab.ipam.domain.GatewayId;

/**
 * Which RabbitMQ users may read which gateway's snapshot, from {@code ipam.snapshot-requesters}:
 * a request is allowed when its broker-validated {@code user_id} is one of the patterns with
 * {@code {gateway}} replaced by the requested gateway. No patterns allow every request.
 */
final class SnapshotRequesters {

    static final String GATEWAY_PLACEHOLDER = "{gateway}";

    private final List<String> patterns;

    SnapshotRequesters(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    boolean checked() {
        return !patterns.isEmpty();
    }

    boolean allows(String userId, GatewayId gateway) {
        if (!checked()) {
            return true;
        }
        if (userId == null) {
            return false;
        }
        return patterns.stream().anyMatch(pattern -> pattern.replace(GATEWAY_PLACEHOLDER, gateway.value()).equals(userId));
    }
}
