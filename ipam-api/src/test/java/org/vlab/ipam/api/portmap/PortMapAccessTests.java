package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.testsupport.TestRedis;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The optional {@code protocol} and {@code allowed_sources} of a create (docs/api-extensions.md):
 * stored, shown, sent to the agent, re-published and snapshotted; refused in the envelope when
 * bad; and invisible to a client that sends neither (real Redis and RabbitMQ, a fake agent).
 */
class PortMapAccessTests extends LiveApiTestBase {

    static final String PORTMAP = "/api/1/ipam/portmap";
    static final List<String> SOURCES = List.of("203.0.113.0/24", "198.51.100.7/32");

    static Map<String, Object> udpFromTwoNetworks(String addr) {
        Map<String, Object> body = new HashMap<>(target(addr, 53, "dns01", "Linux"));
        body.put("protocol", "udp");
        body.put("allowed_sources", SOURCES);
        return body;
    }

    String storedJson(String gateway, int port) {
        return redis.commands().hget(redis.keyPrefix() + "{" + gateway + "}:maps", Integer.toString(port));
    }

    JsonNode listed(String gateway, int port) {
        return api.get(gateway, PORTMAP).content().get("ports").get(Integer.toString(port));
    }

    @Test
    void aUdpMappingLimitedToSourcesIsStoredShownAndSentToTheAgent() {
        String gateway = TestRedis.uniqueName("udp");
        FakeAgent agent = agent(gateway);

        Answer created = api.post(gateway, udpFromTwoNetworks("192.168.1.40"));

        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        int port = created.content().get("conn_port").asInt();
        assertThat(fieldNames(created.content())).containsExactly("conn_port");
        JsonNode shown = listed(gateway, port);
        assertThat(shown.get("protocol").asString()).isEqualTo("udp");
        assertThat(shown.get("allowed_sources").valueStream().map(JsonNode::asString)).containsExactlyElementsOf(SOURCES);
        JsonNode stored = JsonMapper.shared().readTree(storedJson(gateway, port));
        assertThat(stored.get("protocol").asString()).isEqualTo("udp");
        assertThat(stored.get("allowed_sources").valueStream().map(JsonNode::asString)).containsExactlyElementsOf(SOURCES);
        assertThat(agent.received()).singleElement().satisfies(command -> {
            assertThat(command.target().protocol()).isEqualTo(Protocol.UDP);
            assertThat(command.target().allowedSources()).isEqualTo(AllowedSources.of(SOURCES));
        });
        assertThat(agent.receivedJson()).singleElement().asString().contains("\"protocol\":\"udp\"")
                .contains("\"allowed_sources\":[\"203.0.113.0/24\",\"198.51.100.7/32\"]");
        JsonNode machine = api.get(gateway, "/api/1/ipam/addr").content().get("dns01");
        assertThat(machine.get("ports").get(Integer.toString(port)).toString()).isEqualTo("{\"target_addr\":\"192.168.1.40\","
                + "\"target_port\":53,\"protocol\":\"udp\",\"allowed_sources\":[\"203.0.113.0/24\",\"198.51.100.7/32\"]}");
    }

    @Test
    void theSnapshotAndARepublishedCommandCarryProtocolAndSources() {
        String gateway = TestRedis.uniqueName("udp-snap");
        FakeAgent agent = agent(gateway).mode(FakeAgent.Mode.SILENT);

        Answer created = api.post(gateway, udpFromTwoNetworks("192.168.1.41"));

        assertThat(created.status()).as(created.body().toString()).isEqualTo(202);
        int port = created.content().get("conn_port").asInt();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> agent.received().size() >= 2);
        assertThat(agent.received()).allSatisfy(command -> {
            assertThat(command.connPort().value()).isEqualTo(port);
            assertThat(command.target().protocol()).isEqualTo(Protocol.UDP);
            assertThat(command.target().allowedSources().cidrs()).containsExactlyElementsOf(SOURCES);
        });
        List<MappingSnapshot> mappings = agent.requestSnapshot().mappings();
        assertThat(mappings).singleElement().satisfies(mapping -> {
            assertThat(mapping.target().protocol()).isEqualTo(Protocol.UDP);
            assertThat(mapping.target().allowedSources().cidrs()).containsExactlyElementsOf(SOURCES);
        });
    }

    @Test
    void aCreateWithoutTheNewFieldsAnswersStoresAndPublishesAsInApiV1() {
        String gateway = TestRedis.uniqueName("v1");
        FakeAgent agent = agent(gateway);
        Map<String, Object> explicitDefaults = new HashMap<>(target("192.168.1.43", 22, "explicit", "Linux"));
        explicitDefaults.put("protocol", "tcp");

        Answer created = api.post(gateway, target("192.168.1.42", 3389, "win01", "Windows"));
        Answer explicit = api.post(gateway, explicitDefaults);

        int port = created.content().get("conn_port").asInt();
        assertThat(created.body().toString()).isEqualTo("{\"error\":null,\"content\":{\"conn_port\":" + port
                + "},\"params\":{}}");
        assertThat(fieldNames(listed(gateway, port))).containsExactly("name", "target_addr", "target_port", "component",
                "state", "routable", "last_seen", "created");
        assertThat(storedJson(gateway, port)).doesNotContain("protocol", "allowed_sources");
        assertThat(storedJson(gateway, explicit.content().get("conn_port").asInt())).doesNotContain("protocol");
        assertThat(agent.receivedJson()).hasSize(2).allSatisfy(json -> assertThat(json)
                .doesNotContain("protocol", "allowed_sources", "allowedSources"));
        assertThat(agent.receivedJson().get(0)).contains(
                "\"target\":{\"addr\":\"192.168.1.42\",\"port\":3389,\"name\":\"win01\",\"component\":\"Windows\"}");
        assertThat(fieldNames(api.get(gateway, "/api/1/ipam/addr").content().get("win01")))
                .containsExactly("component", "routable", "last_seen", "addr");
    }

    @Test
    void udpAndTcpMappingsToTheSameTargetTakeDifferentPortsOfTheSharedPool() {
        String gateway = TestRedis.uniqueName("pool");
        agent(gateway);
        Map<String, Object> udp = new HashMap<>(target("192.168.1.44", 53, "dns02", "Linux"));
        udp.put("protocol", "udp");

        int tcpPort = api.post(gateway, target("192.168.1.44", 53, "dns02", "Linux")).content().get("conn_port").asInt();
        int udpPort = api.post(gateway, udp).content().get("conn_port").asInt();

        assertThat(udpPort).isNotEqualTo(tcpPort);
        JsonNode ports = api.get(gateway, PORTMAP).content().get("ports");
        assertThat(ports.get(Integer.toString(tcpPort)).has("protocol")).isFalse();
        assertThat(ports.get(Integer.toString(udpPort)).get("protocol").asString()).isEqualTo("udp");
    }

    @Test
    void anIdempotencyKeyStandsForTheProtocolAndSourcesToo() {
        String gateway = TestRedis.uniqueName("udp-idem");
        agent(gateway);
        Map<String, String> key = Map.of("Idempotency-Key", "udp-1");
        Map<String, Object> tcp = new HashMap<>(udpFromTwoNetworks("192.168.1.45"));
        tcp.remove("protocol");

        Answer first = api.send(HttpMethod.POST, PORTMAP, gateway, udpFromTwoNetworks("192.168.1.45"), key);
        Answer replay = api.send(HttpMethod.POST, PORTMAP, gateway, udpFromTwoNetworks("192.168.1.45"), key);
        Answer otherProtocol = api.send(HttpMethod.POST, PORTMAP, gateway, tcp, key);
        Map<String, Object> otherSources = udpFromTwoNetworks("192.168.1.45");
        otherSources.put("allowed_sources", List.of("203.0.113.0/24"));
        Answer fewerSources = api.send(HttpMethod.POST, PORTMAP, gateway, otherSources, key);

        assertThat(replay.content().get("conn_port").asInt()).isEqualTo(first.content().get("conn_port").asInt());
        assertThat(otherProtocol.status()).isEqualTo(422);
        assertThat(fewerSources.status()).isEqualTo(422);
    }

    static Stream<Arguments> badValues() {
        List<String> seventeen = IntStream.range(0, 17).mapToObj(i -> "10." + i + ".0.0/16").toList();
        return Stream.of(
                Arguments.of("protocol", "icmp", "protocol must be \"tcp\" or \"udp\"; got 'icmp'"),
                Arguments.of("protocol", "UDP", "protocol must be \"tcp\" or \"udp\"; got 'UDP'"),
                Arguments.of("protocol", 17, "protocol must be a string, \"tcp\" or \"udp\"; supplied: 17"),
                Arguments.of("allowed_sources", seventeen, "allowed_sources must name 1 to 16 networks"),
                Arguments.of("allowed_sources", List.of(), "allowed_sources must name 1 to 16 networks (leave it out"),
                Arguments.of("allowed_sources", List.of("203.0.113.0/24", "10.1.2.3/24"),
                        "allowed_sources[1]: 10.1.2.3/24 has host bits set; did you mean 10.1.2.0/24?"),
                Arguments.of("allowed_sources", List.of("0.0.0.0/0"),
                        "allowed_sources[0]: 0.0.0.0/0 would allow every source; leave allowed_sources out for that"),
                Arguments.of("allowed_sources", "10.0.0.0/8", "allowed_sources must be a list of IPv4 CIDR strings"),
                Arguments.of("allowed_sources", List.of("10.0.0.0/8", "10.0.0.0/8"), "allowed_sources names a network twice"),
                Arguments.of("allowed_sources", List.of(42), "allowed_sources[0] must be a string"),
                Arguments.of("allowed_sources", List.of("10.0.0.0"), "allowed_sources[0]: not a CIDR network"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void refusesABadValueInTheEnvelopeAndRecordsNothing(String field, Object value, String expected) {
        String gateway = TestRedis.uniqueName("access-bad");
        FakeAgent agent = agent(gateway);
        Map<String, Object> body = new HashMap<>(target("192.168.1.46", 53, "bad", "Linux"));
        body.put(field, value);

        Answer refused = api.send(HttpMethod.POST, PORTMAP, gateway, body, Map.of());

        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.error()).startsWith(expected);
        assertThat(fieldNames(refused.body())).containsExactly("error", "content", "params");
        assertNothingWritten(gateway);
        assertThat(commandsBefore(gateway, agent)).isEmpty();
    }

    @Test
    void aMappingStoredBeforeTheFieldsExistedReadsAsTcpOpenToAll() {
        Mapping old = Mapping.fromJson("{\"conn_port\":50001,\"target_addr\":\"192.168.1.20\",\"target_port\":3389,"
                + "\"name\":\"win01\",\"component\":\"Windows\",\"state\":\"applied\",\"generation\":3,"
                + "\"created\":\"2026-12-01T10:00:00Z\"}");
        assertThat(old.target()).isEqualTo(new PortMapTarget(old.target().addr(), old.target().port(), old.target().name(),
                old.target().component()));
    }
}
