package org.vlab.ipam.api.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.amqp.core.MessageProperties;
import org.vlab.ipam.api.events.Refusal.Reason;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.events.Topology.GatewayKey;

/**
 * Decides whether an event a gateway published may change the API's records. The broker's
 * topic permissions vouch only for the routing key's gateway ({@code gateway.<id>.…}) and,
 * when set, for {@code user_id}; the body is whatever the publisher wrote. So an event is
 * admitted only when its publisher may act for the key's gateway ({@code ipam.event-publishers}),
 * its AMQP {@code type} is the one the key's suffix stands for, its body names the key's
 * gateway, and the timestamps that order or date records are not in the future beyond the
 * allowed clock skew (one far-future heartbeat would otherwise freeze the gateway's record).
 */
final class EventAdmission {

    /** The events the API consumes; anything else on its queue is refused. */
    static final Set<MessageType> CONSUMED = EnumSet.of(MessageType.PORTMAP_APPLIED, MessageType.PORTMAP_FAILED,
            MessageType.PORTMAP_REMOVED, MessageType.GATEWAY_HEARTBEAT, MessageType.REACHABILITY_OBSERVED);

    private final Set<MessageType> consumed;
    private final GatewayUsers publishers;
    private final Duration clockSkew;
    private final Clock clock;

    EventAdmission(GatewayUsers publishers, Duration clockSkew, Clock clock) {
        this(CONSUMED, publishers, clockSkew, clock);
    }

    /** For a queue that consumes other types than {@link #CONSUMED}, such as the log batches of the usage queue. */
    EventAdmission(Set<MessageType> consumed, GatewayUsers publishers, Duration clockSkew, Clock clock) {
        this.consumed = Set.copyOf(consumed);
        this.publishers = publishers;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /** Empty when the event may be recorded; otherwise why not. */
    Optional<Refusal> check(IpamMessage event, MessageProperties properties) {
        String routingKey = properties.getReceivedRoutingKey();
        Optional<GatewayKey> parsed = Topology.parseGatewayRoutingKey(routingKey);
        if (parsed.isEmpty()) {
            return refuse(Reason.ROUTING_KEY, "routing key " + LogText.escape(routingKey)
                    + " is not gateway.<id>.<suffix>");
        }
        GatewayKey key = parsed.get();
        Optional<Refusal> publisher = checkPublisher(properties.getReceivedUserId(), key.gateway());
        if (publisher.isPresent()) {
            return publisher;
        }
        MessageType type = MessageType.of(event);
        if (!consumed.contains(type) || !type.routingSuffix().orElseThrow().equals(key.suffix())) {
            return refuse(Reason.TYPE_MISMATCH, "type " + type.wireName() + " on routing key "
                    + LogText.escape(routingKey));
        }
        if (!event.gateway().equals(key.gateway())) {
            return refuse(Reason.GATEWAY_MISMATCH, "body names gateway " + event.gateway() + " but routing key "
                    + LogText.escape(routingKey) + " names " + key.gateway());
        }
        return checkTimestamps(event);
    }

    private Optional<Refusal> checkPublisher(String userId, GatewayId gateway) {
        if (!publishers.checked()) {
            return Optional.empty();
        }
        if (userId == null) {
            return refuse(Reason.USER_ID_MISSING, "no user_id, and ipam.event-publishers is set");
        }
        if (!publishers.allows(userId, gateway)) {
            return refuse(Reason.USER_ID_NOT_ALLOWED, "user " + LogText.escape(userId)
                    + " is not one of ipam.event-publishers for gateway " + gateway);
        }
        return Optional.empty();
    }

    private Optional<Refusal> checkTimestamps(IpamMessage event) {
        Instant latest = clock.instant().plus(clockSkew);
        if (event instanceof GatewayHeartbeat heartbeat) {
            return notAfter("sent_at", heartbeat.sentAt(), latest);
        }
        if (event instanceof ReachabilityObserved observed) {
            return notAfter("observed_at", observed.observedAt(), latest)
                    .or(() -> notAfter("last_seen_alive", observed.lastSeenAlive(), latest));
        }
        // applied_at, failed_at and removed_at order nothing: answers are ordered by generation
        // and stamped with the API's own clock.
        return Optional.empty();
    }

    private Optional<Refusal> notAfter(String field, Instant value, Instant latest) {
        if (value == null || !value.isAfter(latest)) {
            return Optional.empty();
        }
        return refuse(Reason.FUTURE_TIMESTAMP, field + " " + value + " is more than " + clockSkew
                + " ahead of the API's clock");
    }

    private static Optional<Refusal> refuse(Reason reason, String detail) {
        return Optional.of(new Refusal(reason, detail));
    }
}
