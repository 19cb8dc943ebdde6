package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;
import org.vlab.ipam.messaging.PublishFailedException;
import org.vlab.ipam.testsupport.FreePort;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** When RabbitMQ cannot take a command, writes answer 503 and leave Redis as it was. */
@IntegrationTest
class BrokerOutageTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    @Test
    void postAndDeleteAnswer503AndChangeNothingWhenTheBrokerIsDown(TestVhost vhost, TestRedis redis) throws IOException {
        String gateway = TestRedis.uniqueName("outage");
        int connPort;
        try (ApiReplica healthy = ApiReplica.start(vhost, redis, TOKENS, Map.of());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            connPort = new ApiClient(healthy.port(), TOKENS)
                    .post(gateway, ApiClient.target("192.168.1.5", 22, "kept", "Linux")).content().get("conn_port").asInt();
        }
        Map<String, String> before = dump(redis, gateway);

        try (ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, Map.of("spring.rabbitmq.port",
                Integer.toString(FreePort.next())))) {
            ApiClient client = new ApiClient(api.port(), TOKENS);
            Answer post = client.post(gateway, ApiClient.target("192.168.1.6", 22, "new", "Linux"));
            Answer delete = client.delete(gateway, connPort);

            assertThat(post.status()).isEqualTo(503);
            assertThat(post.error()).contains("RabbitMQ is unreachable");
            assertThat(delete.status()).isEqualTo(503);
            assertThat(dump(redis, gateway)).isEqualTo(before);
            assertThat(client.get(gateway, "/api/1/ipam/portmap").status()).as("reads need only Redis").isEqualTo(200);
        }
    }

    @Test
    void undoesTheRedisWriteWhenTheBrokerDropsTheCommandMidFlight(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("midflight");
        try (ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, Map.of(
                "spring.main.allow-bean-definition-overriding", "true",
                "spring.main.sources", BrokenPublisher.class.getName()))) {
            ApiClient client = new ApiClient(api.port(), TOKENS);
            Answer post = client.send(HttpMethod.POST, "/api/1/ipam/portmap", gateway,
                    ApiClient.target("192.168.1.7", 22, "lost", "Linux"), Map.of("Idempotency-Key", "k-1"));

            assertThat(post.status()).isEqualTo(503);
            String base = redis.keyPrefix() + "{" + gateway + "}:";
            // the free-port pool was seeded (and got its port back): no mapping, index or idempotency record is left
            assertThat(dump(redis, gateway)).as("only the generation counter and the seeded pool")
                    .containsOnlyKeys(base + "generation", base + "free", base + "pool");
            assertThat(redis.commands().scard(base + "free")).isEqualTo(101);
        }
    }

    @Test
    void aRepeatedDeleteWhoseCommandCannotBePublishedLeavesTheFirstOnesRemovalPending(TestVhost vhost,
            TestRedis redis) {
        String gateway = TestRedis.uniqueName("undo-removing");
        int port;
        try (ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, Map.of("ipam.apply-wait", "1s"));
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            ApiClient client = new ApiClient(api.port(), TOKENS);
            Answer created = client.post(gateway, ApiClient.target("192.168.1.7", 22, "kept", "Linux"));
            assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
            port = created.content().get("conn_port").asInt();
            agent.mode(FakeAgent.Mode.SILENT);
            assertThat(client.delete(gateway, port).status()).as("removing, its command re-published").isEqualTo(202);
        }
        ObjectNode removing = mapping(redis, gateway, port);

        assertThat(deleteThroughABrokenBroker(vhost, redis, gateway, port).status()).isEqualTo(503);

        ObjectNode undone = mapping(redis, gateway, port);
        assertThat(undone.get("state").asString()).isEqualTo("removing");
        assertThat(undone.get("generation").asLong()).isEqualTo(removing.get("generation").asLong());
        assertThat(redis.commands().zscore(redis.keyPrefix() + "{" + gateway + "}:pending", Integer.toString(port)))
                .as("the first DELETE's removal is still re-published").isNotNull();
    }

    @Test
    void aDeleteOfAFailedMappingWhoseCommandCannotBePublishedKeepsItsError(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("undo-failed");
        int port;
        try (ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, Map.of());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            ApiClient client = new ApiClient(api.port(), TOKENS);
            Answer created = client.post(gateway, ApiClient.target("192.168.1.7", 22, "stuck", "Linux"));
            assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
            port = created.content().get("conn_port").asInt();
            agent.failWith("iptables-restore: line 3 failed");
            client.delete(gateway, port);
        }
        ObjectNode failed = mapping(redis, gateway, port);
        assertThat(failed.get("state").asString()).isEqualTo("failed");

        assertThat(deleteThroughABrokenBroker(vhost, redis, gateway, port).status()).isEqualTo(503);

        ObjectNode undone = mapping(redis, gateway, port);
        assertThat(undone.get("state").asString()).isEqualTo("failed");
        assertThat(undone.get("generation").asLong()).isEqualTo(failed.get("generation").asLong());
        assertThat(undone.get("error").asString()).as("as it was, its error included")
                .isEqualTo(failed.get("error").asString()).contains("line 3 failed");
    }

    @Test
    void aDeleteOfAMappingItsAgentRefusedWhoseCommandCannotBePublishedLeavesItRefusedAndWanted(TestVhost vhost,
            TestRedis redis) {
        String gateway = TestRedis.uniqueName("undo-refused");
        String reason = "target_addr 192.168.1.8 is outside this gateway's lab networks [192.168.2.0/24]";
        int port;
        try (ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, Map.of());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            port = new ApiClient(api.port(), TOKENS).post(gateway, ApiClient.target("192.168.1.8", 22, "kept", "Linux"))
                    .content().get("conn_port").asInt();
            agent.publish(new PortMapFailed(GatewayId.of(gateway), ConnPort.of(port),
                    agent.received().get(0).generation(), PortMapRequested.Action.CREATE, reason, Instant.now()));
            int refusedPort = port;
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> mapping(redis, gateway, refusedPort).get("state").asString().equals("failed"));
        }
        ObjectNode refused = mapping(redis, gateway, port);

        assertThat(deleteThroughABrokenBroker(vhost, redis, gateway, port).status()).isEqualTo(503);

        ObjectNode undone = mapping(redis, gateway, port);
        for (String field : List.of("state", "generation", "error", "refused")) {
            assertThat(undone.get(field)).as("as it was: " + field).isEqualTo(refused.get(field));
        }
        assertThat(undone.get("refused").asBoolean()).isTrue();
        assertThat(redis.commands().zscore(redis.keyPrefix() + "{" + gateway + "}:pending", Integer.toString(port)))
                .as("nothing left to re-publish").isNull();
    }

    @Test
    void aRecordWithAnExplicitNullErrorIsUndoneToo(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("undo-null");
        int port;
        try (ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, Map.of());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            port = new ApiClient(api.port(), TOKENS).post(gateway, ApiClient.target("192.168.1.7", 22, "legacy", "Linux"))
                    .content().get("conn_port").asInt();
        }
        // as a record converted from the legacy layout may hold it
        redis.commands().hset(redis.keyPrefix() + "{" + gateway + "}:maps", Integer.toString(port),
                mapping(redis, gateway, port).putNull("error").toString());

        assertThat(deleteThroughABrokenBroker(vhost, redis, gateway, port).status()).isEqualTo(503);

        assertThat(mapping(redis, gateway, port).get("state").asString()).isEqualTo("applied");
    }

    private static Answer deleteThroughABrokenBroker(TestVhost vhost, TestRedis redis, String gateway, int port) {
        try (ApiReplica broken = ApiReplica.start(vhost, redis, TOKENS, Map.of(
                "spring.main.allow-bean-definition-overriding", "true",
                "spring.main.sources", BrokenPublisher.class.getName()))) {
            return new ApiClient(broken.port(), TOKENS).delete(gateway, port);
        }
    }

    private static ObjectNode mapping(TestRedis redis, String gateway, int port) {
        String json = redis.commands().hget(redis.keyPrefix() + "{" + gateway + "}:maps", Integer.toString(port));
        return (ObjectNode) JsonMapper.shared().readTree(json);
    }

    /** The publisher of a broker whose connection broke after the Redis write: every publish fails as unreachable. */
    static class BrokenPublisher {
        @org.springframework.context.annotation.Bean
        @org.springframework.context.annotation.Primary
        MessagePublisher brokenPublisher() {
            return new MessagePublisher() {
                @Override
                public CompletableFuture<Void> publish(IpamMessage message, MessageMetadata metadata) {
                    return CompletableFuture.failedFuture(new PublishFailedException(
                            PublishFailedException.Reason.BROKER_UNREACHABLE, "connection reset", null));
                }

                @Override
                public CompletableFuture<Void> reply(SnapshotTaken snapshot, String replyTo, String correlationId) {
                    return publish(snapshot, MessageMetadata.generated());
                }
            };
        }
    }

    static Map<String, String> dump(TestRedis redis, String gateway) {
        Map<String, String> all = new TreeMap<>();
        List<String> keys = redis.commands().keys(redis.keyPrefix() + "{" + gateway + "}:*");
        for (String key : keys) {
            all.put(key, redis.commands().type(key) + ":" + switch (redis.commands().type(key)) {
                case "hash" -> new TreeMap<>(redis.commands().hgetall(key)).toString();
                case "set" -> new java.util.TreeSet<>(redis.commands().smembers(key)).toString();
                case "zset" -> redis.commands().zrangeWithScores(key, 0, -1).toString();
                default -> redis.commands().get(key);
            });
        }
        return all;
    }
}
