package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * A Redis written by the first layout's scripts (one hash per mapping, per address, a string
 * per idempotency record) is converted when the API starts: every mapping once, with its state,
 * generation, reachability and idempotency record, and no port handed out twice afterwards.
 */
@IntegrationTest
class LegacyLayoutTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    @Test
    void convertsEveryOldMappingOnceWithItsStateReachabilityAndIdempotencyRecord(TestVhost vhost, TestRedis redis)
            throws IOException {
        String prefix = redis.keyPrefix() + "old-" + TestRedis.uniqueName("p") + ":";
        String gateway = TestRedis.uniqueName("legacy");
        OldLayout old = new OldLayout(redis.commands(), prefix + "{" + gateway + "}:");
        int applied = old.create(target("192.168.1.10", 22, "lin01", "Linux"), "k-applied");
        old.confirm(applied, "applied");
        int pending = old.create(target("192.168.1.11", 3389, "win01", "Windows"), null);
        int removed = old.create(target("192.168.1.12", 22, "gone", "Linux"), "k-removed");
        old.confirm(removed, "removed");
        old.reachability("192.168.1.10", "true", "2026-12-01T10:00:00.123Z");
        String quiet = TestRedis.uniqueName("legacy-quiet");
        new OldLayout(redis.commands(), prefix + "{" + quiet + "}:").reachability("192.168.1.20", "false", null);

        Map<String, String> properties = new HashMap<>(Map.of("ipam.port-min", "50000", "ipam.port-max", "50004"));
        Map<String, Object> services = new HashMap<>(vhost.springProperties());
        services.putAll(redis.springProperties());
        try (ApiReplica api = ApiReplica.start(services, prefix, TOKENS, properties);
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            ApiClient client = new ApiClient(api.port(), TOKENS);
            var ports = client.get(gateway, "/api/1/ipam/portmap").content().get("ports");

            assertThat(LiveNames.of(ports)).containsExactlyInAnyOrder(Integer.toString(applied), Integer.toString(pending));
            assertThat(ports.get(Integer.toString(applied)).get("state").asString()).isEqualTo("applied");
            assertThat(ports.get(Integer.toString(applied)).get("routable").asBoolean()).isTrue();
            assertThat(ports.get(Integer.toString(applied)).get("last_seen").asString()).isEqualTo("2026-12-01T10:00:00.123Z");
            assertThat(ports.get(Integer.toString(pending)).get("state").asString()).isEqualTo("pending");
            assertThat(client.get(gateway, "/api/1/ipam/portmap?name=win01").content().get("ports").propertyNames())
                    .containsExactly(Integer.toString(pending));
            assertThat(redis.commands().hget(prefix + "{" + quiet + "}:reach", "192.168.1.20")).contains("\"routable\":false");

            Answer replay = post(client, gateway, target("192.168.1.10", 22, "lin01", "Linux"), "k-applied");
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.content().get("conn_port").asInt()).isEqualTo(applied);
            assertThat(post(client, gateway, target("192.168.1.12", 22, "gone", "Linux"), "k-removed").status())
                    .isEqualTo(404);

            // 5 ports, 2 in use: exactly 3 more, none of them an old mapping's
            List<Integer> created = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Answer answer = client.post(gateway, target("192.168.1." + (30 + i), 22, "new" + i, "Linux"));
                if (answer.status() == 200) {
                    created.add(answer.content().get("conn_port").asInt());
                } else {
                    assertThat(answer.status()).isEqualTo(409);
                }
            }
            assertThat(created).hasSize(3).doesNotHaveDuplicates().doesNotContain(applied, pending);
            assertThat(agent.requestSnapshot().mappings()).hasSize(5);
        }
        assertThat(redis.commands().keys(prefix + "{*}:*")).noneMatch(key -> key.matches(".*}:(ports|map:.*|addr:.*|idempotency:.*)"));
        assertThat(redis.commands().get(prefix + "layout")).isEqualTo("2");
    }

    static Answer post(ApiClient client, String gateway, Map<String, Object> body, String key) {
        return client.send(HttpMethod.POST, "/api/1/ipam/portmap", gateway, body, Map.of("Idempotency-Key", key));
    }

    /** The property names of a JSON object. */
    static final class LiveNames {
        static List<String> of(tools.jackson.databind.JsonNode node) {
            List<String> names = new java.util.ArrayList<>();
            node.propertyNames().forEach(names::add);
            return names;
        }
    }

    /** Writes one gateway's keys as the first layout's scripts and RecordIfNewer did. */
    record OldLayout(RedisCommands<String, String> redis, String base) {

        int create(Map<String, Object> body, String idempotencyKey) throws IOException {
            PortMapTarget target = new PortMapTarget(LabAddress.of((String) body.get("target_addr")),
                    TargetPort.of((Integer) body.get("target_port")), MachineName.of((String) body.get("target_name")),
                    Component.of((String) body.get("target_component")));
            PortMapStore.Idempotency idempotency = PortMapRequests.idempotency(idempotencyKey, target, null);
            List<Object> reply = redis.eval(script("portmap-create"), ScriptOutputType.MULTI,
                    new String[] {base + "generation", base + "ports", base + "pending", base + "idempotency:" + idempotency.key()},
                    base + "map:", "50000", "50004", Integer.toString((int) (Math.random() * 1000)),
                    target.addr().toString(), Integer.toString(target.port().value()), target.name().value(),
                    target.component().value(), Instant.now().toString(), "req-old", idempotency.fingerprint(), "86400000",
                    Long.toString(Instant.now().plusSeconds(600).toEpochMilli()));
            assertThat(reply.get(0)).isEqualTo("created");
            return ((Long) reply.get(1)).intValue();
        }

        void confirm(int port, String outcome) throws IOException {
            String generation = redis.hget(base + "map:" + port, "generation");
            redis.eval(script("portmap-confirm"), ScriptOutputType.VALUE,
                    new String[] {base + "map:" + port, base + "ports", base + "pending"},
                    Integer.toString(port), generation, outcome, "", "", Instant.now().toString(), "old", "old-changes");
        }

        void reachability(String address, String routable, String lastSeen) {
            redis.hset(base + "addr:" + address, "observed_at", Long.toString(Instant.now().toEpochMilli()));
            redis.hset(base + "addr:" + address, "routable", routable);
            if (lastSeen != null) {
                redis.hset(base + "addr:" + address, "last_seen", lastSeen);
            }
        }

        private static String script(String name) throws IOException {
            return new ClassPathResource("legacy-layout/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8);
        }
    }
}
