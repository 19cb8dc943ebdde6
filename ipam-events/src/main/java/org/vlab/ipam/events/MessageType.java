package org.vlab.ipam.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The wire name of each message (the AMQP {@code type} property, never a Java class name),
 * the exchange it is published to and how its routing key is formed. Schemas live in
 * {@code schemas/<wire name>.json}.
 */
public enum MessageType {
    PORTMAP_REQUESTED("portmap.requested", PortMapRequested.class, Topology.COMMANDS_EXCHANGE, "portmap"),
    PORTMAP_APPLIED("portmap.applied", PortMapApplied.class, Topology.EVENTS_EXCHANGE, "portmap.applied"),
    PORTMAP_FAILED("portmap.failed", PortMapFailed.class, Topology.EVENTS_EXCHANGE, "portmap.failed"),
    PORTMAP_REMOVED("portmap.removed", PortMapRemoved.class, Topology.EVENTS_EXCHANGE, "portmap.removed"),
    GATEWAY_HEARTBEAT("gateway.heartbeat", GatewayHeartbeat.class, Topology.EVENTS_EXCHANGE, "heartbeat"),
    REACHABILITY_OBSERVED("reachability.observed", ReachabilityObserved.class, Topology.EVENTS_EXCHANGE,
            "reachability"),
    FIREWALL_LOG_BATCH("firewall.log-batch", FirewallLogBatch.class, Topology.LOGS_EXCHANGE, "forward"),
    /** Not per-gateway on the wire: every API replica answers from one shared queue. */
    SNAPSHOT_REQUESTED("snapshot.requested", SnapshotRequested.class, Topology.COMMANDS_EXCHANGE, null),
    /** A reply: sent to the requester's reply-to address through the default exchange. */
    SNAPSHOT_TAKEN("snapshot.taken", SnapshotTaken.class, "", null);

    private static final Map<String, MessageType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(MessageType::wireName, Function.identity()));

    private final String wireName;
    private final Class<? extends IpamMessage> javaType;
    private final String exchange;
    private final String routingSuffix;

    MessageType(String wireName, Class<? extends IpamMessage> javaType, String exchange, String routingSuffix) {
        this.wireName = wireName;
        this.javaType = javaType;
        this.exchange = exchange;
        this.routingSuffix = routingSuffix;
    }

    public static MessageType of(IpamMessage message) {
        for (MessageType type : values()) {
            if (type.javaType == message.getClass()) {
                return type;
            }
        }
        throw new IllegalStateException("no wire type for " + message.getClass());
    }

    public static Optional<MessageType> fromWireName(String wireName) {
        return Optional.ofNullable(wireName).map(BY_WIRE_NAME::get);
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends IpamMessage> javaType() {
        return javaType;
    }

    public String exchange() {
        return exchange;
    }

    public boolean isReply() {
        return this == SNAPSHOT_TAKEN;
    }

    /** The routing key a message of this type is published with; replies have none (they go to reply-to). */
    public String routingKey(IpamMessage message) {
        if (isReply()) {
            throw new IllegalStateException(wireName + " is a reply and is sent to the requester's reply-to address");
        }
        return routingSuffix == null ? Topology.SNAPSHOT_ROUTING_KEY
                : Topology.gatewayRoutingKey(message.gateway(), routingSuffix);
    }

    /** The part of the routing key after {@code gateway.<id>.}; empty for types not routed per gateway. */
    public Optional<String> routingSuffix() {
        return Optional.ofNullable(routingSuffix);
    }

    /** The binding pattern matching this type for every gateway, such as {@code gateway.*.heartbeat}. */
    public String anyGatewayPattern() {
        if (routingSuffix == null) {
            throw new IllegalStateException(wireName + " is not routed per gateway");
        }
        return Topology.anyGatewayPattern(routingSuffix);
    }

    public String schemaResource() {
        return "schemas/" + wireName + ".json";
    }
}
