package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.vlab.ipam.api.events.Refusal.Reason;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.Topology;

/** The rules an event must pass before it changes anything (the broker-level proof is EventBoundaryTests). */
class EventAdmissionTests {

    private static final Instant NOW = Instant.parse("2026-12-04T08:00:00Z");
    private static final GatewayId ALICE = GatewayId.of("alice");
    private static final GatewayId BOB = GatewayId.of("bob");

    private final EventAdmission checked = new EventAdmission(new GatewayUsers(List.of("agent-{gateway}")),
            Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));
    private final EventAdmission unchecked = new EventAdmission(new GatewayUsers(List.of()), Duration.ofSeconds(30),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void admitsAnEventOnItsOwnKeyFromItsGatewaysUser() {
        assertThat(checked.check(heartbeat(ALICE, NOW), received("gateway.alice.heartbeat", "agent-alice"))).isEmpty();
        assertThat(checked.check(removed(ALICE), received("gateway.alice.portmap.removed", "agent-alice"))).isEmpty();
        assertThat(unchecked.check(heartbeat(ALICE, NOW), received("gateway.alice.heartbeat", null))).isEmpty();
    }

    @Test
    void refusesABodyNamingAnotherGatewayThanTheKey() {
        assertThat(reason(checked.check(heartbeat(BOB, NOW), received("gateway.alice.heartbeat", "agent-alice"))))
                .contains(Reason.GATEWAY_MISMATCH);
        assertThat(reason(unchecked.check(removed(BOB), received("gateway.alice.portmap.removed", null))))
                .contains(Reason.GATEWAY_MISMATCH);
    }

    @Test
    void refusesATypeThatIsNotTheKeysSuffix() {
        assertThat(reason(checked.check(heartbeat(ALICE, NOW), received("gateway.alice.portmap.removed", "agent-alice"))))
                .contains(Reason.TYPE_MISMATCH);
        PortMapRequested command = PortMapRequested.remove(ALICE, ConnPort.of(50001), 1, NOW);
        assertThat(reason(checked.check(command, received("gateway.alice.portmap", "agent-alice"))))
                .as("a command is no event").contains(Reason.TYPE_MISMATCH);
    }

    @Test
    void refusesKeysThatNameNoGateway() {
        assertThat(reason(checked.check(heartbeat(ALICE, NOW), received("api.snapshot", "agent-alice"))))
                .contains(Reason.ROUTING_KEY);
        assertThat(reason(checked.check(heartbeat(ALICE, NOW), received(null, "agent-alice"))))
                .contains(Reason.ROUTING_KEY);
    }

    @Test
    void refusesAMissingOrForeignUserIdWhenPublishersAreConfigured() {
        assertThat(reason(checked.check(heartbeat(ALICE, NOW), received("gateway.alice.heartbeat", null))))
                .contains(Reason.USER_ID_MISSING);
        assertThat(reason(checked.check(heartbeat(ALICE, NOW), received("gateway.alice.heartbeat", "agent-bob"))))
                .contains(Reason.USER_ID_NOT_ALLOWED);
        assertThat(reason(checked.check(heartbeat(BOB, NOW), received("gateway.bob.heartbeat", "agent-alice"))))
                .contains(Reason.USER_ID_NOT_ALLOWED);
    }

    @Test
    void refusesTimestampsFurtherAheadThanTheSkew() {
        assertThat(checked.check(heartbeat(ALICE, NOW.plusSeconds(30)), received("gateway.alice.heartbeat", "agent-alice")))
                .as("exactly the skew ahead").isEmpty();
        assertThat(reason(checked.check(heartbeat(ALICE, NOW.plusSeconds(31)),
                received("gateway.alice.heartbeat", "agent-alice")))).contains(Reason.FUTURE_TIMESTAMP);
        assertThat(reason(checked.check(observed(NOW.plusSeconds(3600), null),
                received("gateway.alice.reachability", "agent-alice")))).contains(Reason.FUTURE_TIMESTAMP);
        assertThat(reason(checked.check(observed(NOW, NOW.plusSeconds(3600)),
                received("gateway.alice.reachability", "agent-alice")))).contains(Reason.FUTURE_TIMESTAMP);
        assertThat(checked.check(observed(NOW.minusSeconds(3600), NOW.minusSeconds(7200)),
                received("gateway.alice.reachability", "agent-alice"))).as("the past is fine").isEmpty();
    }

    @Test
    void escapesTheBrokersTextInTheDetail() {
        Optional<Refusal> refusal = checked.check(heartbeat(ALICE, NOW), received("gateway.alice.heartbeat",
                "agent-\u001b[2J\r\nroot"));

        assertThat(refusal).get().extracting(Refusal::detail).asString()
                .contains("agent-\\u001b[2J\\u000d\\u000aroot").doesNotContain("\r", "\n", "\u001b");
    }

    private static Optional<Reason> reason(Optional<Refusal> refusal) {
        return refusal.map(Refusal::reason);
    }

    private static MessageProperties received(String routingKey, String userId) {
        MessageProperties properties = new MessageProperties();
        properties.setReceivedExchange(Topology.EVENTS_EXCHANGE);
        properties.setReceivedRoutingKey(routingKey);
        properties.setReceivedUserId(userId);
        return properties;
    }

    private static GatewayHeartbeat heartbeat(GatewayId gateway, Instant sentAt) {
        return new GatewayHeartbeat(gateway, Ipv4Address.of("203.0.113.7"), List.of(), "iptables", 0, 0, "test",
                sentAt);
    }

    private static PortMapRemoved removed(GatewayId gateway) {
        return new PortMapRemoved(gateway, ConnPort.of(50001), 1, NOW);
    }

    private static IpamMessage observed(Instant observedAt, Instant lastSeenAlive) {
        return new ReachabilityObserved(ALICE, LabAddress.of("192.168.1.5"), null, List.of(), true, false,
                lastSeenAlive, observedAt);
    }
}
