package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * A pool of one port, so every mapping of a gateway gets the same port: an {@code Idempotency-Key}
 * replay, or a create overtaken by a DELETE, must never answer with the port's next owner.
 */
@TestPropertySource(properties = {"ipam.port-min=50000", "ipam.port-max=50000", "ipam.apply-wait=5s"})
class PortReuseTests extends LiveApiTestBase {

    static final String PORTMAP = "/api/1/ipam/portmap";
    static final int PORT = 50000;

    Answer post(String gateway, Map<String, Object> body, String key) {
        return api.send(HttpMethod.POST, PORTMAP, gateway, body, Map.of("Idempotency-Key", key));
    }

    /** The one mapping the gateway lists, as the port's current owner. */
    String ownerName(String gateway) {
        return api.get(gateway, PORTMAP).content().get("ports").get(Integer.toString(PORT)).get("name").asString();
    }

    @Test
    void aReplayAfterTheKeysMappingWasDeletedAnswers404AndNeverTheNewOwner() {
        String gateway = TestRedis.uniqueName("reuse");
        agent(gateway);
        Map<String, Object> first = target("192.168.1.20", 22, "first", "Linux");
        assertThat(post(gateway, first, "k-1").status()).isEqualTo(200);
        assertThat(api.delete(gateway, PORT).status()).isEqualTo(200);
        assertThat(api.post(gateway, target("192.168.1.21", 22, "new-owner", "Linux")).content().get("conn_port").asInt())
                .isEqualTo(PORT);

        Answer replay = post(gateway, first, "k-1");

        assertThat(replay.status()).isEqualTo(404);
        assertThat(replay.error()).isEqualTo("No such port mapping record: the mapping Idempotency-Key k-1 created "
                + "(conn_port 50000) was deleted; send a new Idempotency-Key to create another");
        assertThat(replay.content().isEmpty()).isTrue();
        assertThat(ownerName(gateway)).isEqualTo("new-owner");
    }

    @Test
    void aReplayOfACreateTheAgentRefusedAnswersItsReasonAndNeverTheNewOwner() {
        String gateway = TestRedis.uniqueName("reuse-failed");
        FakeAgent agent = agent(gateway).failWith("iptables-restore: line 2 failed");
        Map<String, Object> first = target("192.168.1.20", 22, "first", "Linux");
        assertThat(post(gateway, first, "k-2").status()).isEqualTo(500);
        agent.mode(FakeAgent.Mode.APPLY);
        assertThat(api.post(gateway, target("192.168.1.21", 22, "new-owner", "Linux")).status()).isEqualTo(200);

        Answer replay = post(gateway, first, "k-2");

        assertThat(replay.status()).isEqualTo(500);
        assertThat(replay.error()).isEqualTo("The request with Idempotency-Key k-2 failed and its port was released: "
                + "iptables-restore: line 2 failed");
        assertThat(replay.content().isEmpty()).isTrue();
        assertThat(ownerName(gateway)).isEqualTo("new-owner");
    }

    @Test
    void aReplayWhileTheKeysMappingIsBeingDeletedSaysSo() {
        String gateway = TestRedis.uniqueName("reuse-removing");
        FakeAgent agent = agent(gateway);
        Map<String, Object> first = target("192.168.1.20", 22, "first", "Linux");
        assertThat(post(gateway, first, "k-3").status()).isEqualTo(200);
        agent.mode(FakeAgent.Mode.SILENT);
        assertThat(api.delete(gateway, PORT).status()).isEqualTo(202);

        Answer replay = post(gateway, first, "k-3");

        assertThat(replay.status()).isEqualTo(404);
        assertThat(replay.error()).contains("Idempotency-Key k-3 created (conn_port 50000) is being deleted");
    }

    @Test
    void aCreateOvertakenByADeleteAnswers404NotAnEmpty200() {
        String gateway = TestRedis.uniqueName("overtaken");
        FakeAgent agent = agent(gateway).mode(FakeAgent.Mode.SILENT);
        CompletableFuture<Answer> create = CompletableFuture.supplyAsync(
                () -> api.post(gateway, target("192.168.1.20", 22, "short-lived", "Linux")));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> agent.received().size() == 1);

        agent.mode(FakeAgent.Mode.APPLY);
        Answer delete = api.delete(gateway, PORT);
        Answer created = create.join();

        assertThat(delete.status()).isEqualTo(200);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(404);
        assertThat(created.error()).isEqualTo("No such port mapping record: the mapping on conn_port 50000 was deleted "
                + "by another request before the gateway confirmed it");
        assertThat(created.content().isEmpty()).isTrue();
    }
}
