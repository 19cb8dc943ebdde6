package org.vlab.ipam.events;

import java.util.Optional;
import org.vlab.ipam.domain.GatewayId;

/**
 * Every exchange, queue and routing-key name of the system, in one place. The exchanges and
 * routing-key patterns are the public contract for outside subscribers (see asyncapi.yaml);
 * queue names are the services' own business.
 */
public final class Topology {

    /** Commands to gateways ({@code gateway.<id>.portmap}) and snapshot requests ({@code api.snapshot}). */
    public static final String COMMANDS_EXCHANGE = "vlab.ipam.commands";
    /** Events from agents and health workers ({@code gateway.<id>.portmap.applied}, ...). */
    public static final String EVENTS_EXCHANGE = "vlab.ipam.events";
    /** Forwarded-connection log batches ({@code gateway.<id>.forward}). */
    public static final String LOGS_EXCHANGE = "vlab.firewall.logs";
    /** Where a queue's poison messages go; each queue has its own dead-letter queue bound by its name. */
    public static final String DEAD_LETTER_EXCHANGE = "vlab.ipam.dead-letter";

    public static final String SNAPSHOT_ROUTING_KEY = "api.snapshot";
    /** The central queue log batches of every gateway land in by default. */
    public static final String CENTRAL_LOG_QUEUE = "vlab.firewall.forward";
    /** The queue the API answers snapshot requests from, shared by its replicas. */
    public static final String API_SNAPSHOT_QUEUE = "ipam.api.snapshot";
    /** The queue the API consumes agents' and workers' events from, shared by its replicas. */
    public static final String API_EVENTS_QUEUE = "ipam.api.events";
    /** The queue the API counts forwarded connections from (its own binding of the log exchange), shared by its replicas. */
    public static final String API_USAGE_QUEUE = "ipam.api.usage";

    /** How many times a queue delivers a message before dead-lettering it (quorum {@code x-delivery-limit}). */
    public static final int DELIVERY_LIMIT = 5;

    private static final String GATEWAY = "gateway.";

    private Topology() {
    }

    public static String agentQueue(GatewayId gateway) {
        return "ipam.agent." + gateway;
    }

    public static String deadLetterQueue(String queue) {
        return queue + ".dead-letter";
    }

    /** {@code gateway.<id>.<suffix>}: safe because gateway ids hold no dots or wildcards. */
    public static String gatewayRoutingKey(GatewayId gateway, String suffix) {
        return GATEWAY + gateway + "." + suffix;
    }

    /** The binding pattern that matches {@code suffix} for every gateway, such as {@code gateway.*.heartbeat}. */
    public static String anyGatewayPattern(String suffix) {
        return GATEWAY + "*." + suffix;
    }

    /**
     * The gateway and suffix of a received {@code gateway.<id>.<suffix>} key; empty for any other
     * key, including one whose id is not a valid {@link GatewayId}. Consumers compare it with the
     * message, since the broker's topic permissions vouch for the key, not for the body.
     */
    public static Optional<GatewayKey> parseGatewayRoutingKey(String routingKey) {
        if (routingKey == null || !routingKey.startsWith(GATEWAY)) {
            return Optional.empty();
        }
        int dot = routingKey.indexOf('.', GATEWAY.length());
        if (dot < 0 || dot == routingKey.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GatewayKey(GatewayId.of(routingKey.substring(GATEWAY.length(), dot)),
                    routingKey.substring(dot + 1)));
        } catch (IllegalArgumentException notAGatewayId) {
            return Optional.empty();
        }
    }

    /** A routing key {@code gateway.<gateway>.<suffix>}, taken apart. */
    public record GatewayKey(GatewayId gateway, String suffix) {
    }
}
