package org.vlab.ipam.api.events;

import java.util.List;
import org.vlab.ipam.domain.GatewayId;

/**
 * Which RabbitMQ users may act for which gateway, from {@code ipam.snapshot-requesters} (who
 * may read a gateway's snapshot) or {@code ipam.event-publishers} (who may publish its events):
 * a message is allowed when its broker-validated {@code user_id} is one of the patterns with
 * {@code {gateway}} replaced by the gateway. A pattern without the placeholder is one user
 * allowed for every gateway; no patterns at all allow every message, with or without user id.
 */
final class GatewayUsers {

    static final String GATEWAY_PLACEHOLDER = "{gateway}";

    private final List<String> patterns;

    GatewayUsers(List<String> patterns) {
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
