package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * Who may publish a gateway's events ({@code ipam.event-publishers}, checked against the
 * broker-verified {@code user_id}) and when: never further in the future than the clock skew.
 */
class EventPublisherTests extends TrustBoundaryTestBase {

    private static final String ADDRESS = "192.168.1.30";

    private String bob;
    private String bobKey;
    private CachingConnectionFactory bobAgent;
    private CachingConnectionFactory bobHealth;

    @BeforeEach
    void bobReportedOnce() {
        bob = TestRedis.uniqueName("bob");
        bobKey = "gateway." + bob + ".";
        bobAgent = serviceUser("agent", bob);
        bobHealth = serviceUser("health", bob);
        publish(bobAgent, bobKey + "heartbeat", heartbeat("203.0.113.20", Instant.now()), null, "agent-" + bob);
        publish(bobHealth, bobKey + "reachability", observed(Instant.now(), true), null, "health-" + bob);
        await().atMost(Duration.ofSeconds(10)).until(() -> "203.0.113.20".equals(gatewayIp())
                && redis.commands().hexists(redis.keyPrefix() + "{" + bob + "}:reach", ADDRESS));
    }

    @Test
    void recordsTheEventsOfTheGatewaysOwnAgentAndHealthWorker() {
        publish(bobAgent, bobKey + "heartbeat", heartbeat("203.0.113.21", Instant.now()), null, "agent-" + bob);
        publish(bobHealth, bobKey + "reachability", observed(Instant.now(), false), null, "health-" + bob);

        await().atMost(Duration.ofSeconds(10)).until(() -> "203.0.113.21".equals(gatewayIp()));
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(redis.commands()
                .hget(redis.keyPrefix() + "{" + bob + "}:reach", ADDRESS)).contains("\"routable\":false"));
    }

    @Test
    void refusesAnEventWithoutUserId() {
        assertRefused(bobAgent, null, "user-id-missing");
    }

    @Test
    void refusesAUserMatchingNoPattern() {
        String mallory = TestRedis.uniqueName("mallory");

        assertRefused(connectAs(mallory, ".*"), mallory, "user-id-not-allowed");
    }

    /** Defence in depth: were alice's topic permission missing, the API would still refuse her on bob's key. */
    @Test
    void refusesAnotherGatewaysAgentOnAKeyTheBrokerLetThrough() {
        String alice = TestRedis.uniqueName("alice");

        assertRefused(connectAs("agent-" + alice, ".*"), "agent-" + alice, "user-id-not-allowed");
    }

    @Test
    void refusesAHeartbeatFromTheFutureAndKeepsRecordingLaterOnes() {
        Map<String, String> before = redisState(bob);
        double refusedBefore = refusals(Topology.API_EVENTS_QUEUE, "future-timestamp");

        String id = publish(bobAgent, bobKey + "heartbeat", heartbeat("198.51.100.66", Instant.now().plusSeconds(3600)),
                null, "agent-" + bob);

        assertDeadLettered(id, "future-timestamp", "agent-" + bob);
        assertThat(redisState(bob)).isEqualTo(before);
        assertThat(refusals(Topology.API_EVENTS_QUEUE, "future-timestamp")).isEqualTo(refusedBefore + 1);
        publish(bobAgent, bobKey + "heartbeat", heartbeat("203.0.113.22", Instant.now()), null, "agent-" + bob);
        await().atMost(Duration.ofSeconds(10)).until(() -> "203.0.113.22".equals(gatewayIp()));
    }

    @Test
    void refusesAnObservationFromTheFuture() {
        Map<String, String> before = redisState(bob);
        double refusedBefore = refusals(Topology.API_EVENTS_QUEUE, "future-timestamp");

        String observedLater = publish(bobHealth, bobKey + "reachability",
                observed(Instant.now().plusSeconds(3600), false), null, "health-" + bob);
        String aliveLater = publish(bobHealth, bobKey + "reachability", new ReachabilityObserved(GatewayId.of(bob),
                LabAddress.of(ADDRESS), null, List.of(), true, false, Instant.now().plusSeconds(3600), Instant.now()),
                null, "health-" + bob);

        assertDeadLettered(observedLater, "future-timestamp", "health-" + bob);
        assertDeadLettered(aliveLater, "future-timestamp", "health-" + bob);
        assertThat(redisState(bob)).isEqualTo(before);
        assertThat(refusals(Topology.API_EVENTS_QUEUE, "future-timestamp")).isEqualTo(refusedBefore + 2);
    }

    /** A heartbeat redirecting bob's address on bob's own key, published as {@code as} with {@code userId}. */
    private void assertRefused(CachingConnectionFactory as, String userId, String reason) {
        Map<String, String> before = redisState(bob);
        double refusedBefore = refusals(Topology.API_EVENTS_QUEUE, reason);

        String id = publish(as, bobKey + "heartbeat", heartbeat("198.51.100.66", Instant.now().plusSeconds(1)), null,
                userId);

        assertDeadLettered(id, reason, userId);
        assertThat(redisState(bob)).as("bob's Redis records").isEqualTo(before);
        assertThat(gatewayIp()).isEqualTo("203.0.113.20");
        assertThat(refusals(Topology.API_EVENTS_QUEUE, reason)).isEqualTo(refusedBefore + 1);
    }

    private GatewayHeartbeat heartbeat(String wan, Instant sentAt) {
        return new GatewayHeartbeat(GatewayId.of(bob), Ipv4Address.of(wan), List.of(), "iptables", 0, 0, "test", sentAt);
    }

    private ReachabilityObserved observed(Instant observedAt, boolean routable) {
        return new ReachabilityObserved(GatewayId.of(bob), LabAddress.of(ADDRESS), null, List.of(), routable, false,
                null, observedAt);
    }

    private String gatewayIp() {
        return gatewayIp(bob);
    }
}
