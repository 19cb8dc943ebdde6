package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import io.lettuce.core.AclSetuserArgs;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.PausingProxy;
import org.vlab.ipam.api.testing.ScratchRedis;
import org.vlab.ipam.testsupport.FreePort;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * Real faults between the steps of a write: 503 only when nothing was written; once the
 * script ran, a later Redis or broker failure answers 202 and the change is finished later;
 * an error reply from Redis (script error, OOM, READONLY) is a 500 with the request id.
 */
@IntegrationTest
class WriteFailureTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");
    static final String PORTMAP = "/api/1/ipam/portmap";

    static ApiReplica replica(TestVhost vhost, TestRedis redis, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of("ipam.apply-wait", "2s", "ipam.republish-after", "2s"));
        properties.putAll(extra);
        return ApiReplica.start(vhost, redis, TOKENS, properties);
    }

    static Answer postWithRequestId(ApiClient client, String gateway, String requestId) {
        return client.send(HttpMethod.POST, PORTMAP, gateway, target("192.168.1.20", 22, "lin01", "Linux"),
                Map.of("X-Request-Id", requestId));
    }

    static void assertInternalErrorQuoting(Answer answer, String requestId) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(500);
        assertThat(answer.error()).isEqualTo("Internal error; quote request id " + requestId + " when reporting it")
                .doesNotContain("unreachable");
        assertThat(answer.headers().getFirst("X-Request-Id")).isEqualTo(requestId);
    }

    @Test
    void aScriptErrorAnswers500WithTheRequestIdNotUnreachable(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("script-error");
        // The mappings hash is a string: the create script's HKEYS fails with WRONGTYPE.
        redis.commands().set(redis.keyPrefix() + "{" + gateway + "}:maps", "not a hash");
        try (ApiReplica api = replica(vhost, redis, Map.of());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            Answer answer = postWithRequestId(new ApiClient(api.port(), TOKENS), gateway, "req-script-error");

            assertInternalErrorQuoting(answer, "req-script-error");
            assertThat(agent.received()).isEmpty();
        }
    }

    @Test
    void aRedisOutOfMemoryAnswers500NotUnreachable(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("oom");
        try (ScratchRedis scratch = ScratchRedis.start();
                ApiReplica api = replica(vhost, redis, scratch.springProperties())) {
            scratch.commands().configSet("maxmemory", "1");
            ApiClient client = new ApiClient(api.port(), TOKENS);

            assertInternalErrorQuoting(postWithRequestId(client, gateway, "req-oom"), "req-oom");
            assertThat(client.get(gateway, PORTMAP).status()).as("reads still work").isEqualTo(200);
        }
    }

    @Test
    void aReadOnlyReplicaAnswers500NotUnreachable(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("readonly");
        try (ScratchRedis scratch = ScratchRedis.start();
                ApiReplica api = replica(vhost, redis, scratch.springProperties())) {
            scratch.commands().replicaof("127.0.0.1", FreePort.next());

            assertInternalErrorQuoting(postWithRequestId(new ApiClient(api.port(), TOKENS), gateway, "req-ro"), "req-ro");
        }
    }

    @Test
    void aRedisOutageAfterTheScriptRanAnswers202Not503(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("redis-after");
        try (ScratchRedis scratch = ScratchRedis.start();
                ApiReplica api = replica(vhost, redis, scratch.springProperties());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway).mode(FakeAgent.Mode.SILENT)) {
            CompletableFuture<Answer> create = CompletableFuture.supplyAsync(
                    () -> new ApiClient(api.port(), TOKENS).post(gateway, target("192.168.1.20", 22, "lin01", "Linux")));
            // The command reached the agent, so the script ran; Redis dies while the request waits.
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> agent.received().size() == 1);
            scratch.kill();

            Answer answer = create.join();

            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
            assertThat(answer.content().get("conn_port").asInt()).isEqualTo(agent.received().get(0).connPort().value());
            assertThat(answer.content().get("state").asString()).isEqualTo("pending");
        }
    }

    @Test
    void aCreateAndARemoveWhoseGatewayCannotBeNamedAsPendingAfterTheScriptRanAreStillAppliedNot503(TestVhost vhost,
            TestRedis redis) {
        String gateway = TestRedis.uniqueName("unnamed");
        String prefix = redis.keyPrefix();
        try (ScratchRedis scratch = ScratchRedis.start()) {
            // every key of the API but the set naming the gateways with pending commands, which on a cluster lives on
            // another master than the gateway's keys: naming the gateway fails after each script ran, as it does while
            // that master fails over
            scratch.commands().aclSetuser("api", AclSetuserArgs.Builder.on().addPassword("api-secret")
                    .keyPattern(prefix + "{*").keyPattern(prefix + "gateways").keyPattern(prefix + "leased-gateways")
                    .keyPattern(prefix + "changes").keyPattern(prefix + "layout").allCommands().allChannels());
            Map<String, String> asApi = new HashMap<>(scratch.springProperties());
            asApi.put("spring.data.redis.username", "api");
            asApi.put("spring.data.redis.password", "api-secret");
            try (ApiReplica api = replica(vhost, redis, asApi);
                    FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
                ApiClient client = new ApiClient(api.port(), TOKENS);

                Answer created = client.post(gateway, target("192.168.1.20", 22, "lin01", "Linux"));

                assertThat(created.status()).as("recorded and applied, not \"nothing was changed\": %s", created.body())
                        .isEqualTo(200);
                assertThat(scratch.commands().hlen(prefix + "{" + gateway + "}:maps")).isEqualTo(1);
                Answer removed = client.delete(gateway, created.content().get("conn_port").asInt());
                assertThat(removed.status()).as(removed.body().toString()).isEqualTo(200);
            }
        }
    }

    /** An API whose broker connection runs through {@code broker}, with a confirm channel already open. */
    static ApiReplica behind(PausingProxy broker, TestVhost vhost, TestRedis redis, String gateway) {
        ApiReplica api = replica(vhost, redis, Map.of("spring.rabbitmq.host", "127.0.0.1",
                "spring.rabbitmq.port", Integer.toString(broker.port())));
        Answer warmUp = new ApiClient(api.port(), TOKENS).post(gateway, target("192.168.1.9", 22, "warm-up", "Linux"));
        assertThat(warmUp.status()).as(warmUp.body().toString()).isEqualTo(200);
        return api;
    }

    /** The recorded state of the mapping an answer names (a field of the gateway's mappings hash). */
    static String stateOf(TestRedis redis, String gateway, Answer answer) {
        String json = redis.commands().hget(redis.keyPrefix() + "{" + gateway + "}:maps",
                answer.content().get("conn_port").asString());
        return json == null ? null : tools.jackson.databind.json.JsonMapper.shared().readTree(json).get("state").asString();
    }

    @Test
    void aConfirmThatDoesNotComeAnswers202AndTheMappingStaysPendingUntilApplied(TestVhost vhost, TestRedis redis)
            throws IOException {
        String gateway = TestRedis.uniqueName("no-confirm");
        try (PausingProxy broker = new PausingProxy(vhost.endpoint().host(), vhost.endpoint().amqpPort());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway);
                ApiReplica api = behind(broker, vhost, redis, gateway)) {
            broker.pause();

            long started = System.nanoTime();
            Answer answer = new ApiClient(api.port(), TOKENS).post(gateway, target("192.168.1.20", 22, "lin01", "Linux"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
            assertThat(took).isLessThan(Duration.ofMillis(3500));
            assertThat(stateOf(redis, gateway, answer)).as("not undone").isEqualTo("pending");
            broker.resume();
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> "applied".equals(stateOf(redis, gateway, answer)));
        }
    }

    @Test
    void aConnectionLostAfterSendingAnswers202AndTheMappingIsStillApplied(TestVhost vhost, TestRedis redis)
            throws IOException {
        String gateway = TestRedis.uniqueName("lost-after");
        try (PausingProxy broker = new PausingProxy(vhost.endpoint().host(), vhost.endpoint().amqpPort());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway);
                ApiReplica api = behind(broker, vhost, redis, gateway)) {
            broker.pause();

            CompletableFuture<Answer> create = CompletableFuture.supplyAsync(() ->
                    new ApiClient(api.port(), TOKENS).post(gateway, target("192.168.1.20", 22, "lin01", "Linux")));
            // The broker took the command (the agent got it), but its confirm is held back: now the connection drops.
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> agent.received().size() == 2);
            broker.cut();
            Answer answer = create.join();

            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
            assertThat(stateOf(redis, gateway, answer)).as("not undone").isIn("pending", "applied");
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> "applied".equals(stateOf(redis, gateway, answer)));
        }
    }
}
