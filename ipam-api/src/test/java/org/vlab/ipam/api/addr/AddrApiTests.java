package org.vlab.ipam.api.addr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.testsupport.TestRedis;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/1/ipam/addr}: address records per machine name, their filters, and the health worker's verdicts. */
class AddrApiTests extends LiveApiTestBase {

    ConfirmingPublisher healthWorker;

    /** A lab with two Windows addresses under one name and one Linux machine, all applied. */
    String lab() {
        String gateway = TestRedis.uniqueName("addr");
        agent(gateway);
        for (var body : List.of(target("192.168.1.20", 3389, "win01", "Windows"), target("192.168.1.20", 22, "win01", "Windows"),
                target("192.168.1.21", 5900, "win01", "Windows"), target("192.168.1.30", 22, "lin01", "Linux"))) {
            assertThat(api.post(gateway, body).status()).isEqualTo(200);
        }
        return gateway;
    }

    JsonNode addr(String gateway, String query) {
        Answer answer = api.get(gateway, "/api/1/ipam/addr" + query);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.error()).isNull();
        return answer.content();
    }

    @Test
    void listsOneRecordPerMachineNameWithComponentRoutableAndAddresses() {
        String gateway = lab();

        JsonNode records = addr(gateway, "");

        assertThat(fieldNames(records)).containsExactlyInAnyOrder("win01", "lin01");
        assertThat(records.get("win01").get("component").asString()).isEqualTo("Windows");
        assertThat(records.get("win01").get("routable").isNull()).isTrue();
        assertThat(records.get("win01").get("addr").values()).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("192.168.1.20", "192.168.1.21");
        assertThat(records.get("lin01").get("component").asString()).isEqualTo("Linux");
        assertThat(records.get("lin01").get("addr").values()).extracting(JsonNode::asString).containsExactly("192.168.1.30");
        assertThat(addr(TestRedis.uniqueName("stranger"), "").isEmpty()).as("another gateway's records").isTrue();
    }

    @Test
    void filtersByNameAddrOrComponent() {
        String gateway = lab();

        assertThat(fieldNames(addr(gateway, "?name=win01"))).containsExactly("win01");
        assertThat(fieldNames(addr(gateway, "?addr=192.168.1.30"))).containsExactly("lin01");
        assertThat(addr(gateway, "?addr=192.168.1.21").get("win01").get("addr").values()).extracting(JsonNode::asString)
                .containsExactly("192.168.1.21");
        assertThat(fieldNames(addr(gateway, "?component=Windows"))).containsExactly("win01");
        assertThat(addr(gateway, "?name=nobody").isEmpty()).isTrue();
        assertThat(api.get(gateway, "/api/1/ipam/addr?name=win01").body().get("params").get("name").asString())
                .isEqualTo("win01");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?name=win01&addr=192.168.1.20 | name=win01, addr=192.168.1.20, component=None",
            "?name=win01&component=Windows | name=win01, addr=None, component=Windows",
            "?addr=192.168.1.20&component=Windows | name=None, addr=192.168.1.20, component=Windows",
            "?name=a&addr=192.168.1.20&component=c | name=a, addr=192.168.1.20, component=c",
            "?addr=192.168.1 | name=None, addr=192.168.1, component=None",
            "?addr=win01 | name=None, addr=win01, component=None",
            "?addr=192.168.1.300 | name=None, addr=192.168.1.300, component=None"})
    void refusesMoreThanOneFilterOrANonIpv4AddrWith400(String query, String supplied) {
        Answer answer = api.get(TestRedis.uniqueName("addr-bad"), "/api/1/ipam/addr" + query);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("Params are mutually exclusive. Supplied: " + supplied);
        assertThat(fieldNames(answer.body())).containsExactly("error", "content", "params");
    }

    @Test
    void showsTheLatestReachabilityVerdictAndNeverAnOlderOne() {
        String gateway = lab();
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(5);
        Instant probed = seen.plusSeconds(4);
        assertThat(addr(gateway, "?name=lin01").get("lin01").get("routable").isNull()).isTrue();

        observe(gateway, "192.168.1.30", true, seen, probed);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(addr(gateway, "?name=lin01").get("lin01").get("routable").asBoolean()).isTrue());
        JsonNode port = portOf(gateway, "192.168.1.30");
        assertThat(port.get("routable").asBoolean()).isTrue();
        assertThat(port.get("last_seen").asString()).isEqualTo(seen.toString());

        observe(gateway, "192.168.1.30", false, seen, probed.minusSeconds(2));
        observe(gateway, "192.168.1.21", false, null, probed);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(portOf(gateway, "192.168.1.21").get("routable").isNull()).isFalse());
        assertThat(addr(gateway, "?name=lin01").get("lin01").get("routable").asBoolean())
                .as("an older observation, consumed before the later one, changes nothing").isTrue();
        assertThat(addr(gateway, "?name=win01").get("win01").get("routable").asBoolean())
                .as("one address probed unreachable, the other never probed").isFalse();

        observe(gateway, "192.168.1.30", false, seen, probed.plusSeconds(10));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(addr(gateway, "?name=lin01").get("lin01").get("routable").asBoolean()).isFalse());
        assertThat(portOf(gateway, "192.168.1.30").get("routable").asBoolean()).isFalse();
    }

    @Test
    void keepsTheLastSeenTimeWhenARestartedWorkerDoesNotKnowIt() {
        String gateway = lab();
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        observe(gateway, "192.168.1.30", true, seen, seen);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(portOf(gateway, "192.168.1.30").get("last_seen").asString()).isEqualTo(seen.toString()));

        observe(gateway, "192.168.1.30", false, null, seen.plusSeconds(30));

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(portOf(gateway, "192.168.1.30").get("routable").asBoolean()).isFalse());
        assertThat(portOf(gateway, "192.168.1.30").get("last_seen").asString()).isEqualTo(seen.toString());
    }

    @Test
    void aMachineIsRoutableWhenAnyOfItsAddressesIs() {
        String gateway = lab();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        observe(gateway, "192.168.1.20", false, null, now);
        observe(gateway, "192.168.1.21", true, now, now);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(addr(gateway, "?name=win01").get("win01").get("routable").asBoolean()).isTrue());
    }

    void observe(String gateway, String address, boolean routable, Instant lastSeenAlive, Instant observedAt) {
        if (healthWorker == null) {
            // Plays the health worker: its events reach the API over the real broker, as in production.
            healthWorker = new ConfirmingPublisher(vhost.connectionFactory(), "test-health-worker", Duration.ofSeconds(10));
        }
        healthWorker.publish(new ReachabilityObserved(GatewayId.of(gateway), LabAddress.of(address), null, List.of(),
                routable, false, lastSeenAlive, observedAt)).join();
    }

    JsonNode portOf(String gateway, String address) {
        JsonNode ports = api.get(gateway, "/api/1/ipam/portmap?target_addr=" + address).content().get("ports");
        assertThat(ports.isEmpty()).isFalse();
        return ports.values().iterator().next();
    }
}
