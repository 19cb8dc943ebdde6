package org.vlab.ipam.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.testsupport.ClusterTest;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * The Redis master holding a gateway's keys is killed with SIGKILL during a stream of POSTs over
 * two replicas from clients that do what a 503 asks (retry, with their Idempotency-Key): the API
 * fails fast while the replica takes over, follows the failover within seconds, and in the end
 * every create is acknowledged once, recorded and applied, and no port was handed out twice. On
 * Redis Cluster the API re-reads the topology; under Sentinel ({@code spring.data.redis.sentinel.*},
 * as {@code SPRING_DATA_REDIS_SENTINEL_MASTER} and {@code _NODES} set them) it reconnects to the
 * master the sentinels name.
 */
@ClusterTest
class RedisFailoverTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    static ClusterServices services;

    @BeforeAll
    static void clusters() {
        services = ClusterServices.start("redis-failover");
    }

    @AfterAll
    static void removeVhost() {
        services.vhost().close();
    }

    @Test
    void everyAcknowledgedCreateSurvivesTheLossOfItsRedisMaster() {
        String prefix = "test-failover-" + Long.toHexString(System.nanoTime()) + ":";
        String gateway = TestRedis.uniqueName("failover");
        int master = services.clusters().redisMasterFor(prefix + "{" + gateway + "}:ports");

        survivesTheKill("cluster", services.springProperties(), prefix, gateway, master,
                () -> services.clusters().redisMasterFor(prefix + "{" + gateway + "}:ports"));
    }

    @Test
    void everyAcknowledgedCreateSurvivesTheLossOfTheMasterTheSentinelsNamed() {
        int master = services.clusters().sentinelMasterPort();

        survivesTheKill("sentinel", services.sentinelProperties(), "test-sentinel-" + Long.toHexString(System.nanoTime()) + ":",
                TestRedis.uniqueName("sentinel"), master, () -> services.clusters().sentinelMasterPort());
    }

    private static void survivesTheKill(String engine, Map<String, Object> redis, String prefix, String gateway, int master,
            IntSupplier masterNow) {
        Map<String, String> settings = Map.of("ipam.port-min", "50000", "ipam.port-max", "51000", "ipam.apply-wait", "10s");
        try (ApiReplica first = ApiReplica.start(redis, prefix, TOKENS, settings);
                ApiReplica second = ApiReplica.start(redis, prefix, TOKENS, settings);
                FakeAgent agent = FakeAgent.start(services.vhost().connectionFactory(), gateway)) {
            List<WebClient> replicas = List.of(ClusterServices.client(first, TOKENS, gateway), ClusterServices.client(second, TOKENS, gateway));

            FailoverStream.Outcome outcome = FailoverStream.run(replicas, 240, engine + "-create-",
                    () -> services.clusters().killRedis(master));

            System.out.println("[" + engine + "] 240 creates, master " + master + " killed after 60: " + outcome.statuses() + ", "
                    + outcome.unavailable() + " x 503 retried, the last " + outcome.outage().toMillis() + " ms after the kill");
            FailoverStream.assertEveryCreateAcknowledgedRecordedAndApplied(outcome, 240, new ApiClient(second.port(), TOKENS), gateway);
            assertThat(masterNow.getAsInt()).as("the replica promoted").isNotEqualTo(master);
        } finally {
            services.clusters().restartRedis(master);
        }
    }
}
