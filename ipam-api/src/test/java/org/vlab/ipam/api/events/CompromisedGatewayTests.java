package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.Topology;

/**
 * agent-alice, whose topic permission lets it publish only {@code gateway.alice.*}, writes
 * events about bob into bodies on its own keys. None of them changes bob's records.
 */
class CompromisedGatewayTests extends TrustBoundaryTestBase {

    private String alice;
    private String bob;
    private CachingConnectionFactory aliceAgent;
    private FakeAgent bobAgent;
    private int bobPort;
    private long bobGeneration;

    /** bob: a heartbeat with his WAN address, and a mapping his (silent) agent has not answered yet. */
    @BeforeEach
    void bobHasARecordAndAPendingMapping() {
        alice = org.vlab.ipam.testsupport.TestRedis.uniqueName("alice");
        bob = org.vlab.ipam.testsupport.TestRedis.uniqueName("bob");
        aliceAgent = serviceUser("agent", alice);
        bobAgent = agentAs(bob).mode(FakeAgent.Mode.SILENT);
        bobAgent.heartbeat("203.0.113.20", "192.168.1.0/24");
        await().atMost(Duration.ofSeconds(10)).until(() -> "203.0.113.20".equals(gatewayIp(bob)));
        var created = api.post(bob, target("192.168.1.30", 3389, "bobs-pc", "Windows"));
        assertThat(created.status()).as("create answered before the agent: %s", created.body()).isEqualTo(202);
        bobPort = created.content().get("conn_port").asInt();
        await().atMost(Duration.ofSeconds(10)).until(() -> !bobAgent.received().isEmpty());
        PortMapRequested command = bobAgent.received().get(0);
        assertThat(command.connPort().value()).isEqualTo(bobPort);
        bobGeneration = command.generation();
    }

    @Test
    void refusesAHeartbeatForBobOnAlicesKey(CapturedOutput output) {
        Map<String, String> before = redisState(bob);
        double refusedBefore = refusals(Topology.API_EVENTS_QUEUE, "gateway-mismatch");
        GatewayHeartbeat forged = new GatewayHeartbeat(GatewayId.of(bob), Ipv4Address.of("198.51.100.66"), List.of(),
                "iptables", 0, 0, "forged", Instant.now().plusSeconds(1));

        String id = publish(aliceAgent, "gateway." + alice + ".heartbeat", forged, null, "agent-" + alice);

        assertDeadLettered(id, "gateway-mismatch", "agent-" + alice);
        assertThat(redisState(bob)).as("bob's Redis records").isEqualTo(before);
        assertThat(gatewayIp(bob)).isEqualTo("203.0.113.20");
        assertThat(refusals(Topology.API_EVENTS_QUEUE, "gateway-mismatch")).isEqualTo(refusedBefore + 1);
        assertThat(output.getOut()).contains("refused gateway.heartbeat message " + id + " from RabbitMQ user agent-"
                + alice + " on vlab.ipam.events gateway." + alice + ".heartbeat (ipam.api.events): gateway-mismatch: "
                + "body names gateway " + bob);
    }

    @ParameterizedTest
    @ValueSource(strings = {"portmap.applied", "portmap.failed", "portmap.removed"})
    void refusesAnAnswerAboutBobsMappingOnAlicesKey(String type, CapturedOutput output) {
        Map<String, String> before = redisState(bob);
        double refusedBefore = refusals(Topology.API_EVENTS_QUEUE, "gateway-mismatch");

        String id = publish(aliceAgent, "gateway." + alice + "." + type, answer(type, bob), null, "agent-" + alice);

        assertDeadLettered(id, "gateway-mismatch", "agent-" + alice);
        assertThat(redisState(bob)).as("bob's mapping and port").isEqualTo(before);
        assertThat(api.get(bob, "/api/1/ipam/portmap").content().get("ports").get(Integer.toString(bobPort))
                .get("state").asString()).isEqualTo("pending");
        assertThat(refusals(Topology.API_EVENTS_QUEUE, "gateway-mismatch")).isEqualTo(refusedBefore + 1);
        assertThat(output.getOut()).contains("refused " + type + " message " + id);
    }

    @Test
    void refusesATypeThatIsNotTheKeysSuffix() {
        alicesOwnHeartbeat("203.0.113.10");
        Map<String, String> before = redisState(alice);
        double refusedBefore = refusals(Topology.API_EVENTS_QUEUE, "type-mismatch");
        GatewayHeartbeat redirect = new GatewayHeartbeat(GatewayId.of(alice), Ipv4Address.of("198.51.100.66"),
                List.of(), "iptables", 0, 0, "forged", Instant.now().plusSeconds(1));

        String id = publish(aliceAgent, "gateway." + alice + ".portmap.removed", redirect, "gateway.heartbeat",
                "agent-" + alice);

        assertDeadLettered(id, "type-mismatch", "agent-" + alice);
        assertThat(redisState(alice)).isEqualTo(before);
        assertThat(refusals(Topology.API_EVENTS_QUEUE, "type-mismatch")).isEqualTo(refusedBefore + 1);
    }

    @Test
    void recordsTheAnswersOfBobsOwnAgentOnBobsKeys() {
        bobAgent.mode(FakeAgent.Mode.APPLY);
        double refusedBefore = refusals(Topology.API_EVENTS_QUEUE, "gateway-mismatch");

        // 202 when the wait (0 s here) ends first; 200 when bob's agent answered before it did,
        // which a fast enough agent can (the answer may even beat the command's confirm)
        assertThat(api.delete(bob, bobPort).status()).isIn(200, 202);

        await().atMost(Duration.ofSeconds(10)).until(() -> !api.get(bob, "/api/1/ipam/portmap").content().get("ports")
                .has(Integer.toString(bobPort)));
        assertThat(refusals(Topology.API_EVENTS_QUEUE, "gateway-mismatch")).isEqualTo(refusedBefore);
    }

    private void alicesOwnHeartbeat(String wan) {
        publish(aliceAgent, "gateway." + alice + ".heartbeat", new GatewayHeartbeat(GatewayId.of(alice),
                Ipv4Address.of(wan), List.of(), "iptables", 0, 0, "test", Instant.now()), null, "agent-" + alice);
        await().atMost(Duration.ofSeconds(10)).until(() -> wan.equals(gatewayIp(alice)));
    }

    private IpamMessage answer(String type, String gateway) {
        GatewayId id = GatewayId.of(gateway);
        ConnPort port = ConnPort.of(bobPort);
        return switch (type) {
            case "portmap.applied" -> new PortMapApplied(id, port, bobGeneration, Instant.now());
            case "portmap.failed" -> new PortMapFailed(id, port, bobGeneration, PortMapRequested.Action.CREATE,
                    "forged failure", Instant.now());
            default -> new PortMapRemoved(id, port, bobGeneration, Instant.now());
        };
    }
}
