package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.testsupport.TestRedis;
import tools.jackson.databind.json.JsonMapper;

/**
 * Re-publishing commands an agent did not answer, and the set of gateways whose rounds visit
 * (real Redis and RabbitMQ). {@code republish-after} is an hour, so after the round at start no
 * round runs by itself: each test makes its command due and runs the rounds it names. The key
 * prefix is this context's own, so that the rounds of other test classes' cached contexts (other
 * replicas, as far as Redis can tell) never visit these gateways.
 */
@TestPropertySource(properties = {"ipam.republish-after=1h", "ipam.redis-key-prefix=pending-${random.uuid}:"})
class PendingCommandsTests extends LiveApiTestBase {

    @Autowired
    PendingCommands pendingCommands;
    @Autowired
    PendingGateways pendingGateways;
    @Autowired
    Keyspace keyspace;

    /** A create the silent agent got but did not answer: 202, and the mapping stays pending. */
    int createUnanswered(String gateway, FakeAgent agent) {
        agent.mode(FakeAgent.Mode.SILENT);
        Answer created = api.post(gateway, target("192.168.1.40", 22, "silent", "Linux"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(202);
        int port = created.content().get("conn_port").asInt();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> agent.received().size() == 1);
        return port;
    }

    void makeDue(String gateway, int port) {
        redis.commands().zadd(keyspace.prefix() + "{" + gateway + "}:pending", 0, Integer.toString(port));
    }

    boolean named(String gateway) {
        return redis.commands().sismember(keyspace.prefix() + "pending-gateways", gateway);
    }

    String state(String gateway, int port) {
        String json = redis.commands().hget(keyspace.prefix() + "{" + gateway + "}:maps", Integer.toString(port));
        return JsonMapper.shared().readTree(json).get("state").asString();
    }

    @AfterEach
    void deleteKeys() {
        redis.deleteKeys(keyspace.prefix() + "*");
    }

    @Test
    void aCommandItsAgentDidNotAnswerIsPublishedAgainAndTheGatewayLeavesTheSetOnceAnswered() {
        String gateway = TestRedis.uniqueName("unanswered");
        FakeAgent agent = agent(gateway);
        int port = createUnanswered(gateway, agent);
        assertThat(named(gateway)).as("named once its create is pending").isTrue();

        agent.mode(FakeAgent.Mode.APPLY);
        makeDue(gateway, port);
        pendingCommands.republishDue(false).block();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "applied".equals(state(gateway, port)));
        assertThat(agent.received()).hasSize(2)
                .allSatisfy(command -> assertThat(command.connPort().value()).isEqualTo(port));
        assertThat(named(gateway)).as("still named until a round finds nothing pending").isTrue();
        pendingCommands.republishDue(false).block();
        assertThat(named(gateway)).isFalse();
    }

    @Test
    void aPendingCommandOfAGatewayTheSetDoesNotNameIsPublishedAgainByTheFullPass() {
        String gateway = TestRedis.uniqueName("unnamed");
        FakeAgent agent = agent(gateway);
        int port = createUnanswered(gateway, agent);
        // as if its replica crashed between the script and naming the gateway, or never named it
        redis.commands().srem(keyspace.prefix() + "pending-gateways", gateway);
        makeDue(gateway, port);

        pendingCommands.republishDue(false).block();
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> agent.received().size() == 1);
        pendingCommands.republishDue(true).block();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> agent.received().size() == 2);
        assertThat(named(gateway)).as("the full pass names it again").isTrue();
    }

    @Test
    void aGatewayStaysNamedWhenACommandBecamePendingWhileItWasBeingForgotten() {
        GatewayId gateway = GatewayId.of(TestRedis.uniqueName("forgetting"));
        String pending = keyspace.prefix() + "{" + gateway.value() + "}:pending";
        pendingGateways.note(gateway).block();
        // a round saw the set empty; then a create made a command pending and named the gateway
        redis.commands().zadd(pending, 0, "50001");

        pendingGateways.forgetIfIdle(gateway).block();
        assertThat(named(gateway.value())).isTrue();

        redis.commands().zrem(pending, "50001");
        pendingGateways.forgetIfIdle(gateway).block();
        assertThat(named(gateway.value())).isFalse();
    }

    @Test
    void aRemovalTheAgentDidNotAnswerIsPublishedAgain() {
        String gateway = TestRedis.uniqueName("unanswered-removal");
        FakeAgent agent = agent(gateway);
        int port = api.post(gateway, target("192.168.1.41", 22, "kept", "Linux")).content().get("conn_port").asInt();
        pendingCommands.republishDue(false).block();
        assertThat(named(gateway)).as("nothing pending after the agent answered the create").isFalse();

        agent.mode(FakeAgent.Mode.SILENT);
        assertThat(api.delete(gateway, port).status()).isEqualTo(202);
        assertThat(named(gateway)).isTrue();
        agent.mode(FakeAgent.Mode.APPLY);
        makeDue(gateway, port);
        pendingCommands.republishDue(false).block();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.get(gateway, "/api/1/ipam/portmap")
                .content().get("ports").get(Integer.toString(port)) == null);
        assertThat(agent.received()).hasSize(3);
    }

    /**
     * A mapping its agent refused after applying it, left in the pending set (a DELETE of it whose
     * command could not be sent, undone after a round had claimed the port): it is still wanted,
     * so what goes out again is its create, never a removal the user was told did not happen.
     */
    @Test
    void aRefusedMappingLeftPendingIsPublishedAgainAsItsCreateNotAsARemoval() {
        String gateway = TestRedis.uniqueName("refused-pending");
        FakeAgent agent = agent(gateway);
        int port = api.post(gateway, target("192.168.1.42", 22, "kept", "Linux")).content().get("conn_port").asInt();
        long generation = agent.received().get(0).generation();
        agent.mode(FakeAgent.Mode.SILENT);
        agent.publish(new PortMapFailed(GatewayId.of(gateway), ConnPort.of(port), generation,
                PortMapRequested.Action.CREATE, "target_addr 192.168.1.42 is outside this gateway's lab networks",
                Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "failed".equals(state(gateway, port)));
        makeDue(gateway, port);

        pendingCommands.republishDue(true).block();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> agent.received().size() == 2);
        assertThat(agent.received().get(1)).satisfies(command -> {
            assertThat(command.action()).isEqualTo(PortMapRequested.Action.CREATE);
            assertThat(command.generation()).isEqualTo(generation);
        });
        assertThat(state(gateway, port)).isEqualTo("failed");
    }
}
