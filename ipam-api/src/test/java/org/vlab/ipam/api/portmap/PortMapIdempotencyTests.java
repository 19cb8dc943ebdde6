package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.testsupport.TestRedis;

/** The {@code Idempotency-Key} header of api-v1.md: a retried POST returns the first answer and creates nothing new. */
class PortMapIdempotencyTests extends LiveApiTestBase {

    static final String PORTMAP = "/api/1/ipam/portmap";

    Answer post(String gateway, Map<String, Object> body, String key) {
        return api.send(HttpMethod.POST, PORTMAP, gateway, body, Map.of("Idempotency-Key", key));
    }

    long usedPorts(String gateway) {
        return redis.commands().hlen(redis.keyPrefix() + "{" + gateway + "}:maps");
    }

    @Test
    void aRetryWithTheSameKeyAndBodyAnswersTheSamePortAndCreatesNothingNew() {
        String gateway = TestRedis.uniqueName("idem");
        FakeAgent agent = agent(gateway);
        Map<String, Object> body = target("192.168.1.20", 3389, "win01", "Windows");

        Answer first = post(gateway, body, "retry-1");
        Answer retry = post(gateway, body, "retry-1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        int connPort = first.content().get("conn_port").asInt();
        assertThat(retry.content().get("conn_port").asInt()).isEqualTo(connPort);
        assertThat(usedPorts(gateway)).isEqualTo(1);
        assertThat(fieldNames(api.get(gateway, PORTMAP).content().get("ports"))).containsExactly(Integer.toString(connPort));
        assertThat(commandsBefore(gateway, agent)).singleElement()
                .satisfies(command -> assertThat(command.connPort().value()).isEqualTo(connPort));
    }

    @Test
    void aRetryOfAPendingCreateAnswersThePendingPortWithoutASecondMapping() {
        String gateway = TestRedis.uniqueName("idem-pending");
        FakeAgent agent = agent(gateway).mode(FakeAgent.Mode.SILENT);
        Map<String, Object> body = target("192.168.1.21", 22, "lin01", "Linux");

        Answer first = post(gateway, body, "retry-2");
        Answer retry = post(gateway, body, "retry-2");

        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.content().get("conn_port").asInt()).isEqualTo(first.content().get("conn_port").asInt());
        assertThat(retry.content().get("state").asString()).isEqualTo("pending");
        assertThat(usedPorts(gateway)).isEqualTo(1);
        agent.mode(FakeAgent.Mode.APPLY);
        assertThat(post(gateway, body, "retry-2").content().get("conn_port").asInt())
                .isEqualTo(first.content().get("conn_port").asInt());
    }

    @Test
    void theSameKeyWithADifferentBodyAnswers422AndCreatesNothing() {
        String gateway = TestRedis.uniqueName("idem-conflict");
        FakeAgent agent = agent(gateway);
        int connPort = post(gateway, target("192.168.1.22", 22, "a", "Linux"), "shared").content().get("conn_port").asInt();

        Answer conflict = post(gateway, target("192.168.1.23", 22, "b", "Linux"), "shared");

        assertThat(conflict.status()).isEqualTo(422);
        assertThat(conflict.error()).isEqualTo("Idempotency-Key was already used with a different request body");
        assertThat(fieldNames(conflict.body())).containsExactly("error", "content", "params");
        assertThat(usedPorts(gateway)).isEqualTo(1);
        assertThat(commandsBefore(gateway, agent)).extracting(command -> command.connPort().value())
                .containsExactly(connPort);
    }

    @Test
    void differentKeysCreateDifferentMappings() {
        String gateway = TestRedis.uniqueName("idem-two");
        agent(gateway);
        Map<String, Object> body = target("192.168.1.24", 22, "twin", "Linux");

        int first = post(gateway, body, "key-a").content().get("conn_port").asInt();
        int second = post(gateway, body, "key-b").content().get("conn_port").asInt();

        assertThat(second).isNotEqualTo(first);
        assertThat(usedPorts(gateway)).isEqualTo(2);
    }

    @Test
    void refusesAKeyLongerThan255CharactersWith400AndWritesNothing() {
        String gateway = TestRedis.uniqueName("idem-long");
        FakeAgent agent = agent(gateway);

        Answer answer = post(gateway, target("192.168.1.25", 22, "long", "Linux"), "k".repeat(256));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("Idempotency-Key must be 1-255 printable ASCII characters without spaces");
        assertNothingWritten(gateway);
        assertThat(commandsBefore(gateway, agent)).isEmpty();
        assertThat(post(gateway, target("192.168.1.25", 22, "long", "Linux"), "k".repeat(255)).status()).isEqualTo(200);
    }

    @Test
    void aKeyIsScopedToItsGateway() {
        String alice = TestRedis.uniqueName("idem-alice");
        String bob = TestRedis.uniqueName("idem-bob");
        agent(alice);
        FakeAgent bobsAgent = agent(bob);

        assertThat(post(alice, target("192.168.1.26", 22, "a", "Linux"), "same-key").status()).isEqualTo(200);
        Answer bobs = post(bob, target("192.168.1.27", 22, "b", "Linux"), "same-key");

        assertThat(bobs.status()).isEqualTo(200);
        assertThat(commandsBefore(bob, bobsAgent)).extracting(PortMapRequested::action)
                .containsExactly(PortMapRequested.Action.CREATE);
    }
}
