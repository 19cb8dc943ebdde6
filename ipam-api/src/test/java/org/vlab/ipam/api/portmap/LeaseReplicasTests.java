package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.testsupport.TestRedis;
import tools.jackson.databind.JsonNode;

/**
 * Lease expiry with two API replicas on the real clock. Kept apart from {@link LeaseTests}, whose
 * clock runs ahead: a replica whose clock is minutes ahead finds the other's removal command
 * overdue and re-publishes it, which is correct (at least once) but not what these tests count.
 */
// re-publishing after 30 s, not 2: a removal counted once must not be sent again because a loaded machine answered late
@TestPropertySource(properties = {"ipam.lease-sweep-interval=200ms", "ipam.republish-after=30s"})
class LeaseReplicasTests extends LiveApiTestBase {

    static final String PORTMAP = "/api/1/ipam/portmap";

    int createLeased(String gateway) {
        Map<String, Object> body = new HashMap<>(target("192.168.1.30", 22, "leased", "Linux"));
        body.put("expires_in", 60);
        Answer created = api.send(HttpMethod.POST, PORTMAP, gateway, body, Map.of());
        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        return created.content().get("conn_port").asInt();
    }

    JsonNode listed(String gateway, int port) {
        return api.get(gateway, PORTMAP).content().get("ports").get(Integer.toString(port));
    }

    @Test
    void ofTwoReplicasOnlyOneRemovesAnExpiredMapping() {
        String gateway = TestRedis.uniqueName("lease-replicas");
        FakeAgent agent = agent(gateway);
        try (ApiReplica second = ApiReplica.start(vhost, redis, TOKENS, Map.of("ipam.lease-sweep-interval", "100ms"))) {
            int port = createLeased(gateway);
            // the lease ran out by every replica's clock
            redis.commands().zadd(redis.keyPrefix() + "{" + gateway + "}:leases", 0, Integer.toString(port));

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> listed(gateway, port) == null);
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> LeaseTests.removals(agent, port).size() == 1);
        }
    }

    @Test
    void aLeaseTheLeasedGatewaySetDoesNotNameIsSweptAfterAReplicaStarts() {
        String gateway = TestRedis.uniqueName("lease-unlisted");
        FakeAgent agent = agent(gateway);
        int port = createLeased(gateway);
        // as if recorded before the set existed: only the pass at a replica's start finds it
        redis.commands().srem(redis.keyPrefix() + "leased-gateways", gateway);
        redis.commands().zadd(redis.keyPrefix() + "{" + gateway + "}:leases", 0, Integer.toString(port));
        try (ApiReplica second = ApiReplica.start(vhost, redis, TOKENS, Map.of("ipam.lease-sweep-interval", "100ms"))) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listed(gateway, port) == null);
            assertThat(LeaseTests.removals(agent, port)).hasSize(1);
            assertThat(redis.commands().sismember(redis.keyPrefix() + "leased-gateways", gateway)).isTrue();
        }
    }
}
