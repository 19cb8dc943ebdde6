package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * An operator stopping a replica reads its log for what went wrong: the background rounds
 * (lease sweep, pending commands) stop as shutdown begins, before the Redis connection
 * does, so a clean stop fails (and logs) no round; and a request in flight as the replica stops
 * (a rolling update) still gets its agent's answer, not a timeout.
 */
@IntegrationTest
class ShutdownTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    @Test
    void stopsItsBackgroundRoundsBeforeRedisSoACleanStopFailsNoRound(TestVhost vhost, TestRedis redis) {
        ApiReplica replica = ApiReplica.start(vhost, redis, TOKENS,
                Map.of("ipam.lease-sweep-interval", "100ms", "ipam.republish-after", "3s"));
        // this replica's own count: other tests' replicas in this JVM may log failed rounds of their own
        MeterRegistry meters = replica.bean(MeterRegistry.class);
        replica.close();

        // close() returns after every bean is destroyed: no round can run, and fail, after it
        assertThat(meters.find("ipam.rounds.failed").counters()).as("both rounds are counted").hasSize(2);
        assertThat(failedRounds(meters)).as("rounds failed while the replica stopped").isZero();
    }

    static double failedRounds(MeterRegistry meters) {
        return meters.find("ipam.rounds.failed").counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void aCreateInFlightWhenTheOnlyReplicaStopsIsAnsweredByItsAgentNotByTheTimeout(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("stopping");
        ApiReplica replica = ApiReplica.start(vhost, redis, TOKENS, Map.of("ipam.apply-wait", "15s"));
        try (FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway).answerAfter(Duration.ofSeconds(2))) {
            ApiClient client = new ApiClient(replica.port(), TOKENS);
            CompletableFuture<Answer> create = CompletableFuture.supplyAsync(
                    () -> client.post(gateway, ApiClient.target("192.168.1.10", 22, "vm", "Linux")));
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.received().size() == 1);
            long stopping = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(replica::close);

            Answer answer = create.join();
            Duration took = Duration.ofNanos(System.nanoTime() - stopping);
            stopped.join();

            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            assertThat(answer.content().get("conn_port").asInt()).isEqualTo(agent.received().get(0).connPort().value());
            assertThat(took).as("answered from the agent's answer, not after the 15 s wait").isLessThan(Duration.ofSeconds(10));
        } finally {
            replica.close();
        }
    }
}
