package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
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
 * Two API replicas behind one broker compete for the agents' events, so the replica that
 * answers a POST is often not the one that consumed its confirmation; it must answer as
 * soon as the confirmation is recorded all the same.
 */
@IntegrationTest
class ReplicaTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    @Test
    void eachReplicaAnswersAsSoonAsEitherConsumedTheAgentsConfirmation(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("replicated");
        Map<String, String> slowFallback = Map.of("ipam.apply-wait", "20s");
        try (ApiReplica first = ApiReplica.start(vhost, redis, TOKENS, slowFallback);
                ApiReplica second = ApiReplica.start(vhost, redis, TOKENS, slowFallback);
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            ApiClient[] clients = {new ApiClient(first.port(), TOKENS), new ApiClient(second.port(), TOKENS)};
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                Answer answer = clients[i % 2].post(gateway, ApiClient.target("192.168.1." + (10 + i), 22, "vm" + i, "Linux"));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(answer.status()).isEqualTo(200);
                assertThat(took).as("answered from the confirmation, not after the 20 s wait").isLessThan(Duration.ofSeconds(5));
                Answer removal = clients[(i + 1) % 2].delete(gateway, answer.content().get("conn_port").asInt());
                assertThat(removal.status()).isEqualTo(200);
            }
            assertThat(agent.received()).hasSize(40);
        }
    }
}
