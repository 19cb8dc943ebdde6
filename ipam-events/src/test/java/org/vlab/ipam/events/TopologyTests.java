package org.vlab.ipam.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.Topology.GatewayKey;

/** Taking a received routing key apart, so consumers can compare it with the message. */
class TopologyTests {

    @Test
    void parsesTheGatewayAndSuffixOfAGatewayKey() {
        assertThat(Topology.parseGatewayRoutingKey("gateway.alice.portmap.removed"))
                .contains(new GatewayKey(GatewayId.of("alice"), "portmap.removed"));
        assertThat(Topology.parseGatewayRoutingKey("gateway.bob_2.heartbeat"))
                .contains(new GatewayKey(GatewayId.of("bob_2"), "heartbeat"));
    }

    @Test
    void refusesKeysThatDoNotNameAValidGateway() {
        for (String key : new String[] {null, "", "api.snapshot", "gateway.", "gateway.alice", "gateway.alice.",
                "gateway..heartbeat", "gateway.*.heartbeat", "gateway.al ice.heartbeat", "Gateway.alice.heartbeat",
                "gateway." + "a".repeat(65) + ".heartbeat"}) {
            assertThat(Topology.parseGatewayRoutingKey(key)).as(key).isEmpty();
        }
    }

    @Test
    void everyGatewayRoutedTypeRoundTripsThroughItsKey() {
        Arrays.stream(MessageType.values()).filter(type -> type.routingSuffix().isPresent()).forEach(type ->
                assertThat(Topology.parseGatewayRoutingKey(
                        Topology.gatewayRoutingKey(GatewayId.of("alice"), type.routingSuffix().orElseThrow())))
                        .as(type.wireName())
                        .contains(new GatewayKey(GatewayId.of("alice"), type.routingSuffix().orElseThrow())));
        assertThat(MessageType.SNAPSHOT_REQUESTED.routingSuffix()).isEmpty();
        assertThat(MessageType.GATEWAY_HEARTBEAT.routingSuffix()).contains("heartbeat");
    }
}
