package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.portmap.PortMapStore.Removal;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.api.testing.ShiftedClock;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.testsupport.TestRedis;
import tools.jackson.databind.JsonNode;

/**
 * Leases (docs/api-extensions.md): {@code expires_in} on POST, {@code expires_at} in GET, renewal,
 * and removal through the agent with the reason {@code expired} once the lease ran out (the API's
 * clock is moved forward; Redis and RabbitMQ are real). The context is closed after the class:
 * left running, a replica whose clock is minutes ahead would sweep and re-publish the commands
 * of every later test class in the same keyspace (the two-replica cases are in
 * {@link LeaseReplicasTests} for that reason).
 */
@DirtiesContext
@Import(ShiftedClock.Shifted.class)
// re-publishing after 30 s, not 2: a removal counted once must not be sent again because a loaded machine answered late
@TestPropertySource(properties = {"ipam.lease-sweep-interval=200ms", "ipam.republish-after=30s"})
class LeaseTests extends LiveApiTestBase {

    static final String PORTMAP = "/api/1/ipam/portmap";
    static final String RENEW = "/api/1/ipam/portmap/renew";

    @Autowired
    ShiftedClock clock;

    @Autowired
    PortMapStore store;

    int createLeased(String gateway, int expiresIn) {
        Map<String, Object> body = new HashMap<>(target("192.168.1.30", 22, "leased", "Linux"));
        body.put("expires_in", expiresIn);
        Answer created = api.send(HttpMethod.POST, PORTMAP, gateway, body, Map.of());
        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        return created.content().get("conn_port").asInt();
    }

    JsonNode listed(String gateway, int port) {
        return api.get(gateway, PORTMAP).content().get("ports").get(Integer.toString(port));
    }

    Answer renew(String gateway, Object connPort, Object expiresIn) {
        Map<String, Object> body = new HashMap<>();
        body.put("conn_port", connPort);
        body.put("expires_in", expiresIn);
        return api.send(HttpMethod.POST, RENEW, gateway, body, Map.of());
    }

    static List<PortMapRequested> removals(FakeAgent agent, int port) {
        return agent.received().stream().filter(command -> command.action() == PortMapRequested.Action.REMOVE
                && command.connPort().value() == port).toList();
    }

    @Test
    void aMappingWithoutALeaseShowsNoExpiryAndCannotBeRenewed() {
        String gateway = TestRedis.uniqueName("no-lease");
        agent(gateway);
        int port = api.post(gateway, target("192.168.1.31", 22, "plain", "Linux")).content().get("conn_port").asInt();

        assertThat(fieldNames(listed(gateway, port))).doesNotContain("expires_at");
        Answer renewed = renew(gateway, port, 3600);
        assertThat(renewed.status()).isEqualTo(409);
        assertThat(renewed.error()).isEqualTo("The mapping on conn_port " + port
                + " has no lease; only a mapping created with expires_in can be renewed");
    }

    @Test
    void aLeasedCreateAnswersWithItsExpiryAndSoDoesItsReplay() {
        String gateway = TestRedis.uniqueName("lease-answer");
        agent(gateway);
        Map<String, Object> body = new HashMap<>(target("192.168.1.33", 22, "answered", "Linux"));
        body.put("expires_in", 3600);
        Map<String, String> key = Map.of("Idempotency-Key", "lease-answer-1");

        Answer created = api.send(HttpMethod.POST, PORTMAP, gateway, body, key);
        Answer replay = api.send(HttpMethod.POST, PORTMAP, gateway, body, key);

        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        assertThat(fieldNames(created.content())).containsExactly("conn_port", "expires_at");
        int port = created.content().get("conn_port").asInt();
        String expiresAt = created.content().get("expires_at").asString();
        assertThat(Instant.parse(expiresAt)).isAfter(clock.instant().plusSeconds(3500));
        assertThat(listed(gateway, port).get("expires_at").asString()).isEqualTo(expiresAt);
        assertThat(replay.content().toString()).isEqualTo(created.content().toString());
    }

    @Test
    void anExpiredLeaseIsRemovedThroughTheAgentWithTheReasonExpired() {
        String gateway = TestRedis.uniqueName("lease");
        FakeAgent agent = agent(gateway);
        Instant before = clock.instant();
        int port = createLeased(gateway, 60);
        Instant expiresAt = Instant.parse(listed(gateway, port).get("expires_at").asString());
        assertThat(expiresAt).isBetween(before.plusSeconds(60), clock.instant().plusSeconds(60));

        clock.advance(Duration.ofSeconds(61));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> listed(gateway, port) == null);
        assertThat(removals(agent, port)).singleElement()
                .satisfies(command -> assertThat(command.reason()).isEqualTo("expired"));
        assertThat(redis.commands().zcard(redis.keyPrefix() + "{" + gateway + "}:leases")).isZero();
    }

    @Test
    void aLeaseThatRunsOutWhileARemovalIsUndoneStillExpiresTheMapping() {
        String gateway = TestRedis.uniqueName("lease-undo");
        FakeAgent agent = agent(gateway).mode(FakeAgent.Mode.SILENT);
        int port = createLeasedWhileSilent(agent, gateway);
        String leases = redis.keyPrefix() + "{" + gateway + "}:leases";
        double expiry = redis.commands().zscore(leases, Integer.toString(port));
        // a DELETE marks it as being removed, and its command will not be published: it is undone below
        Removal.Removing removing = (Removal.Removing) store.remove(GatewayId.of(gateway), ConnPort.of(port),
                clock.instant(), "req-undone", clock.instant().plusSeconds(30)).block();

        clock.advance(Duration.ofSeconds(61));
        Awaitility.await().alias("the sweep passed it while it was being removed").atMost(Duration.ofSeconds(5))
                .until(() -> redis.commands().zscore(leases, Integer.toString(port)), score -> score != null
                        && score > expiry);
        assertThat(store.undoRemove(GatewayId.of(gateway), ConnPort.of(port), removing).block()).isTrue();
        agent.mode(FakeAgent.Mode.APPLY);
        clock.advance(Duration.ofSeconds(31));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listed(gateway, port) == null);
        assertThat(removals(agent, port)).last().satisfies(command -> assertThat(command.reason()).isEqualTo("expired"));
    }

    /** A leased mapping recorded and applied, its agent then answering nothing. */
    private int createLeasedWhileSilent(FakeAgent agent, String gateway) {
        agent.mode(FakeAgent.Mode.APPLY);
        int port = createLeased(gateway, 60);
        agent.mode(FakeAgent.Mode.SILENT);
        return port;
    }

    @Test
    void renewingMovesTheExpiryAndKeepsTheMapping() {
        String gateway = TestRedis.uniqueName("renew");
        FakeAgent agent = agent(gateway);
        int port = createLeased(gateway, 60);

        Answer renewed = renew(gateway, port, 3600);
        clock.advance(Duration.ofSeconds(120));

        assertThat(renewed.status()).as(renewed.body().toString()).isEqualTo(200);
        Instant expiresAt = Instant.parse(renewed.content().get("expires_at").asString());
        assertThat(listed(gateway, port).get("expires_at").asString()).isEqualTo(expiresAt.toString());
        assertThat(expiresAt).isAfter(clock.instant().plusSeconds(3000));
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> listed(gateway, port) != null);
        assertThat(removals(agent, port)).isEmpty();
    }

    /** Refused by its agent after it was applied, a mapping is still wanted: its lease is renewed and runs out as before. */
    @Test
    void aMappingTheAgentRefusedAfterApplyingItIsRenewedAndExpiresLikeAnyOther() {
        String gateway = TestRedis.uniqueName("lease-refused");
        FakeAgent agent = agent(gateway);
        int port = createLeased(gateway, 60);
        agent.publish(new PortMapFailed(GatewayId.of(gateway), ConnPort.of(port), agent.received().get(0).generation(),
                PortMapRequested.Action.CREATE, "target_addr 192.168.1.30 is outside this gateway's lab networks",
                clock.instant()));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "failed".equals(listed(gateway, port).get("state").asString()));

        Answer renewed = renew(gateway, port, 3600);
        clock.advance(Duration.ofSeconds(120));

        assertThat(renewed.status()).as(renewed.body().toString()).isEqualTo(200);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> listed(gateway, port) != null);
        clock.advance(Duration.ofSeconds(3600));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listed(gateway, port) == null);
        assertThat(removals(agent, port)).singleElement()
                .satisfies(command -> assertThat(command.reason()).isEqualTo("expired"));
    }

    @Test
    void refusesBadLeasesAndUnknownPortsInTheEnvelope() {
        String gateway = TestRedis.uniqueName("lease-bad");
        agent(gateway);
        Map<String, Object> body = new HashMap<>(target("192.168.1.32", 22, "bad", "Linux"));
        for (Object bad : List.of(59, 2_592_001, "60", 1.5)) {
            body.put("expires_in", bad);
            Answer refused = api.send(HttpMethod.POST, PORTMAP, gateway, body, Map.of());
            assertThat(refused.status()).as("%s", bad).isEqualTo(400);
            assertThat(refused.error()).as("%s", bad).startsWith("expires_in must be");
            assertThat(fieldNames(refused.body())).containsExactly("error", "content", "params");
        }
        int port = createLeased(gateway, 60);

        assertThat(renew(gateway, port, 30).error())
                .isEqualTo("expires_in must be between 60 and 2592000 seconds; supplied: 30");
        assertThat(renew(gateway, port, null).error()).isEqualTo("expires_in is required");
        assertThat(renew(gateway, null, 60).error()).isEqualTo("conn_port is required");
        Answer unknown = renew(gateway, 65000, 60);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("No such port mapping record");
        Answer otherTenant = renew(TestRedis.uniqueName("other"), port, 60);
        assertThat(otherTenant.status()).as("another tenant's gateway has no such mapping").isEqualTo(404);
    }
}
