package org.vlab.ipam.api.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.FreePort;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * The API while Redis cannot be reached (its URL names a port nothing listens on): the health
 * check answers 500 naming Redis, and requests answer 503, never 500, having changed nothing.
 */
class HealthcheckOutageTests extends LiveApiTestBase {

    /** A port nothing listens on, below the range the kernel picks local ports from. */
    static final int CLOSED_PORT = FreePort.next();

    @DynamicPropertySource
    static void unreachableRedis(DynamicPropertyRegistry registry) {
        // spring.data.redis.url wins over the host and port the test services set.
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + CLOSED_PORT);
    }

    @Test
    void theHealthcheckAnswers500NamingRedis() {
        Answer answer = raw(HttpMethod.GET, "/api/1/ipam/healthcheck", null, null, null, Map.of());

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.error()).isEqualTo("Unhealthy: Redis is unreachable");
        assertThat(fieldNames(answer.body())).containsExactly("error", "content", "params");
        assertThat(answer.content().get("version").asString()).isNotBlank();
        assertThat(answer.content().get("redis").asString()).isEqualTo("down");
        assertThat(answer.content().get("rabbitmq").asString()).isEqualTo("up");
    }

    @Test
    void aCreateAnswers503AndNeitherWritesNorCommandsAnything() {
        String gateway = TestRedis.uniqueName("outage");
        FakeAgent.start(vhost.connectionFactory(), gateway).close();

        Answer answer = api.post(gateway, target("192.168.1.20", 3389, "win01", "Windows"));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.error()).isEqualTo("Redis is unreachable; nothing was changed, retry later");
        assertThat(fieldNames(answer.body())).containsExactly("error", "content", "params");
        assertNothingWritten(gateway);
        assertThat(commandsQueuedFor(gateway)).isZero();
    }

    @Test
    void aRetriedCreateWithAnIdempotencyKeyAndADeleteAnswer503Too() {
        String gateway = TestRedis.uniqueName("outage");
        FakeAgent.start(vhost.connectionFactory(), gateway).close();

        Answer create = api.send(HttpMethod.POST, "/api/1/ipam/portmap", gateway,
                target("192.168.1.20", 22, "lin01", "Linux"), Map.of("Idempotency-Key", "outage-1"));
        Answer delete = api.delete(gateway, 50001);

        assertThat(create.status()).isEqualTo(503);
        assertThat(delete.status()).isEqualTo(503);
        assertThat(delete.error()).isEqualTo("Redis is unreachable; nothing was changed, retry later");
        assertNothingWritten(gateway);
        assertThat(commandsQueuedFor(gateway)).isZero();
    }

    @Test
    void readsAnswer503RatherThan500() {
        String gateway = TestRedis.uniqueName("outage");

        assertThat(api.get(gateway, "/api/1/ipam/portmap").status()).isEqualTo(503);
        assertThat(api.get(gateway, "/api/1/ipam/addr").status()).isEqualTo(503);
    }

    /** Commands waiting in the gateway's agent queue (its agent is stopped, so any command would stay there). */
    long commandsQueuedFor(String gateway) {
        var info = new RabbitAdmin(vhost.connectionFactory()).getQueueInfo(Topology.agentQueue(GatewayId.of(gateway)));
        assertThat(info).as("agent queue of %s", gateway).isNotNull();
        return info.getMessageCount();
    }
}
