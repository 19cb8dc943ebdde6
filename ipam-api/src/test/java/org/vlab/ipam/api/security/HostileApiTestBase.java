package org.vlab.ipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.TestRedis;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stage every security test plays on: the API with its own Redis prefix, a trusted proxy
 * ({@link RawHttp#TRUSTED_PROXY}) and an operator; a victim gateway that reported its lab
 * network and holds one applied mapping, whose agent is gone (so any command would wait in
 * its queue); and an attacker who is another tenant. {@link #attack} sends hostile requests,
 * checks every answer, and proves that Redis and the gateways' command queues did not change.
 */
@TestPropertySource(properties = {"ipam.auth.trusted-proxies=" + RawHttp.TRUSTED_PROXY + "/32",
        "ipam.operators=" + HostileApiTestBase.OPERATOR, "ipam.auth.max-token-bytes=" + HostileApiTestBase.MAX_TOKEN_BYTES})
abstract class HostileApiTestBase extends LiveApiTestBase {

    static final String OPERATOR = "secops";
    /** Below Reactor Netty's 8 KiB header limit, so the API's own limit is what refuses a longer token. */
    static final int MAX_TOKEN_BYTES = 4096;
    static final String VICTIM_WAN = "203.0.113.10";
    static final String VICTIM_TARGET = "192.168.1.20";

    private final JsonMapper json = JsonMapper.builder().build();

    protected String victim;
    protected String attacker;
    protected int victimPort;

    @BeforeEach
    void victimWithAnAppliedMapping() {
        victim = TestRedis.uniqueName("victim");
        attacker = TestRedis.uniqueName("mallory");
        try (FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), victim)) {
            agent.heartbeat(VICTIM_WAN, "192.168.1.0/24");
            Awaitility.await().until(() -> redis.commands().exists(redis.keyPrefix() + "{" + victim + "}:registry") == 1);
            Answer created = api.post(victim, target(VICTIM_TARGET, 3389, "win01", "Windows"));
            assertThat(created.status()).as("victim's mapping: %s", created.body()).isEqualTo(200);
            victimPort = created.content().get("conn_port").asInt();
        }
        // The create named the victim in pending-gateways; the re-publishing round (every second
        // here) drops it now that nothing is pending. Settled first, so that attack()'s before
        // and after compare what requests did, not what that round did in between.
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !redis.commands().sismember(redis.keyPrefix() + "pending-gateways", victim));
    }

    /** Sends every request, records the figures, prints them, and asserts nothing was accepted or changed. */
    protected Figures attack(String title, List<HostileRequest> requests, int atLeast) {
        RawHttp http = new RawHttp(port);
        Figures figures = new Figures(title);
        Map<String, String> before = RedisDump.of(redis.commands(), redis.keyPrefix());
        long commands;
        try (CommandSpy spy = new CommandSpy(vhost.connectionFactory())) {
            for (HostileRequest request : requests) {
                RawHttp.Reply reply = http.send(request);
                figures.record(request, reply.status(), problem(request, reply));
            }
            commands = spy.commands() + spy.messages(Topology.agentQueue(GatewayId.of(victim)));
        }
        Map<String, String> after = RedisDump.of(redis.commands(), redis.keyPrefix());
        Set<String> changed = changedKeys(before, after);
        System.out.println(figures.table(changed.size(), commands));

        assertThat(figures.sent()).as("hostile requests sent").isGreaterThanOrEqualTo(atLeast);
        assertThat(figures.failures()).as("requests not refused with a 4xx vLab envelope").isEmpty();
        assertThat(changed.stream().map(key -> key + ": " + before.get(key) + " -> " + after.get(key)))
                .as("Redis keys changed by hostile requests").isEmpty();
        assertThat(commands).as("commands that reached a gateway").isZero();
        return figures;
    }

    /** Removes the gateways' keys, so nothing a failed case left behind keeps changing under the next test. */
    @AfterEach
    void forgetGateways() {
        for (String gateway : List.of(victim, attacker)) {
            redis.deleteKeys(redis.keyPrefix() + "{" + gateway + "}:*");
            redis.commands().srem(redis.keyPrefix() + "gateways", gateway);
        }
    }

    /** Why the reply is not the right refusal, or null when it is. */
    private String problem(HostileRequest request, RawHttp.Reply reply) {
        int status = reply.status();
        if (request.httpLayer()) {
            return status == request.expectedStatus() && reply.body().length == 0 ? null
                    : "expected the HTTP layer's bare " + request.expectedStatus();
        }
        if (request.expectedStatus() != 0 ? status != request.expectedStatus() : status < 400 || status > 499) {
            return "expected " + (request.expectedStatus() == 0 ? "a 4xx" : request.expectedStatus()) + "; body "
                    + new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (reply.contentType() == null || !reply.contentType().startsWith("application/json")) {
            return "content type " + reply.contentType();
        }
        JsonNode body;
        try {
            body = json.readTree(reply.body());
        } catch (RuntimeException notJson) {
            return "body is not JSON: " + notJson.getMessage();
        }
        Predicate<JsonNode> envelope = node -> node.isObject() && node.size() == 3 && node.path("error").isString()
                && !node.path("error").asString().isBlank() && node.path("content").isObject()
                && node.path("params").isObject();
        return envelope.test(body) ? null : "not a vLab envelope with an error: " + body;
    }

    static Set<String> changedKeys(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        keys.removeIf(key -> java.util.Objects.equals(before.get(key), after.get(key)));
        return keys;
    }

}
