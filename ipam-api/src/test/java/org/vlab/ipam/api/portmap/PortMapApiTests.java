package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;

/** The portmap routes against the real Redis and RabbitMQ, with a fake agent answering over the broker. */
@WithIpamServices
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ipam.redis-key-prefix=${ipam.test.redis-key-prefix}", "ipam.vlab-url=https://vlab.test",
        "ipam.apply-wait=2s", "ipam.republish-after=2s", "ipam.rate-limit.enabled=false"})
class PortMapApiTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    @DynamicPropertySource
    static void key(DynamicPropertyRegistry registry) {
        registry.add("ipam.auth.public-key", TOKENS::publicKeyPem);
    }

    @LocalServerPort
    int port;
    @Autowired
    TestVhost vhost;
    @Autowired
    TestRedis redis;

    ApiClient api;
    final List<FakeAgent> agents = new ArrayList<>();

    @BeforeEach
    void client() {
        api = new ApiClient(port, TOKENS);
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(FakeAgent::close);
    }

    FakeAgent agent(String gateway) {
        FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway);
        agents.add(agent);
        return agent;
    }

    @Test
    void answers200WithTheConnectionPortOnceTheAgentApplied() {
        String alice = TestRedis.uniqueName("alice");
        FakeAgent agent = agent(alice);

        Answer answer = api.post(alice, target("192.168.1.20", 3389, "win01", "Windows"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.error()).isNull();
        int connPort = answer.content().get("conn_port").asInt();
        assertThat(connPort).isBetween(50000, 50100);
        assertThat(agent.received()).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(PortMapRequested.Action.CREATE);
            assertThat(command.connPort().value()).isEqualTo(connPort);
            assertThat(command.target().addr().toString()).isEqualTo("192.168.1.20");
        });
        JsonNode listed = api.get(alice, "/api/1/ipam/portmap").content();
        JsonNode mapping = listed.get("ports").get(Integer.toString(connPort));
        assertThat(mapping.get("name").asString()).isEqualTo("win01");
        assertThat(mapping.get("target_addr").asString()).isEqualTo("192.168.1.20");
        assertThat(mapping.get("target_port").asInt()).isEqualTo(3389);
        assertThat(mapping.get("component").asString()).isEqualTo("Windows");
        assertThat(mapping.get("state").asString()).isEqualTo("applied");
        assertThat(mapping.get("routable").isNull()).isTrue();
        assertThat(listed.get("gateway_ip").isNull()).isTrue();
    }

    @Test
    void answers202AndKeepsTheMappingPendingWhenTheAgentDoesNotAnswer() {
        String bob = TestRedis.uniqueName("bob");
        FakeAgent agent = agent(bob).mode(FakeAgent.Mode.SILENT);

        Answer answer = api.post(bob, target("192.168.1.21", 22, "linux01", "Linux"));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.content().get("state").asString()).isEqualTo("pending");
        int connPort = answer.content().get("conn_port").asInt();
        assertThat(api.get(bob, "/api/1/ipam/portmap").content().get("ports").get(Integer.toString(connPort))
                .get("state").asString()).isEqualTo("pending");

        agent.mode(FakeAgent.Mode.APPLY);
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(api.get(bob, "/api/1/ipam/portmap").content().get("ports").get(Integer.toString(connPort))
                        .get("state").asString()).isEqualTo("applied"));
        assertThat(agent.received()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(command -> assertThat(command.connPort().value()).isEqualTo(connPort));
    }

    @Test
    void answers500WithTheAgentsReasonAndReleasesThePortWhenTheAgentFails() {
        String carol = TestRedis.uniqueName("carol");
        agent(carol).failWith("iptables-restore: line 4 failed");

        Answer answer = api.post(carol, target("192.168.1.22", 80, "web", "Linux"));

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.error()).isEqualTo("iptables-restore: line 4 failed");
        assertThat(api.get(carol, "/api/1/ipam/portmap").content().get("ports").isEmpty()).isTrue();
        assertThat(redis.commands().hlen(redis.keyPrefix() + "{" + carol + "}:maps")).isZero();
    }

    @Test
    void keepsACommandNoAgentQueueTookPendingAndDeliversItOnceTheAgentAppears() {
        String dave = TestRedis.uniqueName("dave");

        Answer answer = api.post(dave, target("192.168.1.23", 22, "later", "Linux"));

        assertThat(answer.status()).isEqualTo(202);
        int connPort = answer.content().get("conn_port").asInt();
        FakeAgent agent = agent(dave);
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(api.get(dave, "/api/1/ipam/portmap").content().get("ports").get(Integer.toString(connPort))
                        .get("state").asString()).isEqualTo("applied"));
        assertThat(agent.received()).isNotEmpty();
    }

    @Test
    void deletesAMappingOnceTheAgentRemovedItAndOnlyThenReusesThePort() {
        String erin = TestRedis.uniqueName("erin");
        FakeAgent agent = agent(erin);
        int connPort = api.post(erin, target("192.168.1.24", 22, "box", "Linux")).content().get("conn_port").asInt();

        agent.mode(FakeAgent.Mode.SILENT);
        Answer pending = api.delete(erin, connPort);
        assertThat(pending.status()).isEqualTo(202);
        assertThat(pending.content().get("state").asString()).isEqualTo("removing");
        assertThat(redis.commands().hexists(redis.keyPrefix() + "{" + erin + "}:maps", Integer.toString(connPort)))
                .as("the port stays used until the agent confirms the removal").isTrue();

        agent.mode(FakeAgent.Mode.APPLY);
        Answer removed = api.delete(erin, connPort);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.error()).isNull();
        assertThat(api.get(erin, "/api/1/ipam/portmap").content().get("ports").isEmpty()).isTrue();
        assertThat(agent.received()).last().satisfies(command ->
                assertThat(command.action()).isEqualTo(PortMapRequested.Action.REMOVE));
    }

    @Test
    void answers404ForAMappingTheCallerDoesNotHave() {
        String frank = TestRedis.uniqueName("frank");

        Answer answer = api.delete(frank, 50001);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).isEqualTo("No such port mapping record");
        assertThat(answer.body().properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("error", "content", "params");
    }

    @Test
    void aUserNeitherSeesNorDeletesAnotherGatewaysMappings() {
        String grace = TestRedis.uniqueName("grace");
        String heidi = TestRedis.uniqueName("heidi");
        agent(grace);
        int connPort = api.post(grace, target("192.168.1.25", 22, "mine", "Linux")).content().get("conn_port").asInt();

        assertThat(api.get(heidi, "/api/1/ipam/portmap").content().get("ports").isEmpty()).isTrue();
        assertThat(api.delete(heidi, connPort).status()).isEqualTo(404);
        Answer forbidden = api.get(heidi, "/api/1/ipam/portmap?gateway=" + grace);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.error()).isEqualTo("user " + heidi + " does not have access");
        assertThat(api.get(grace, "/api/1/ipam/portmap").content().get("ports").has(Integer.toString(connPort))).isTrue();
    }

    @Test
    void showsTheGatewayAddressItsAgentReported() {
        String ivan = TestRedis.uniqueName("ivan");
        FakeAgent agent = agent(ivan);
        agent.heartbeat("10.7.1.33", "192.168.1.0/24");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get(ivan, "/api/1/ipam/portmap").content().get("gateway_ip").asString())
                        .isEqualTo("10.7.1.33"));
    }

    @Test
    void showsAGatewayItsAgentReportsDegradedWithTheReasonAndOtherwiseOnlyApiV1sFields() {
        String kate = TestRedis.uniqueName("kate");
        FakeAgent agent = agent(kate);
        agent.heartbeatInState(null, "10.7.1.34");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get(kate, "/api/1/ipam/portmap").content().path("gateway_ip").asString(""))
                        .isEqualTo("10.7.1.34"));
        assertThat(fieldNames(api.get(kate, "/api/1/ipam/portmap").content())).containsExactly("ports", "gateway_ip");

        agent.heartbeatInState("iptables-restore v1.8.9 (nf_tables): Couldn't load target `NFLOG'", "10.7.1.34");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode content = api.get(kate, "/api/1/ipam/portmap").content();
            assertThat(content.path("gateway_state").asString("")).isEqualTo("degraded");
            assertThat(content.path("gateway_error").asString("")).contains("Couldn't load target `NFLOG'");
        });

        agent.heartbeatInState(null, "10.7.1.34");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(fieldNames(api.get(kate, "/api/1/ipam/portmap").content()))
                        .containsExactly("ports", "gateway_ip"));
    }

    @Test
    void filtersTheListByEveryParameterCombinedWithAnd() {
        String judy = TestRedis.uniqueName("judy");
        agent(judy);
        int rdp = api.post(judy, target("192.168.1.30", 3389, "win01", "Windows")).content().get("conn_port").asInt();
        int ssh = api.post(judy, target("192.168.1.31", 22, "lin01", "Linux")).content().get("conn_port").asInt();

        assertThat(fieldNames(api.get(judy, "/api/1/ipam/portmap?name=win01").content().get("ports")))
                .containsExactly(Integer.toString(rdp));
        assertThat(fieldNames(api.get(judy, "/api/1/ipam/portmap?target_port=22&component=Linux").content().get("ports")))
                .containsExactly(Integer.toString(ssh));
        assertThat(fieldNames(api.get(judy, "/api/1/ipam/portmap?conn_port=" + ssh + "&name=win01").content().get("ports")))
                .isEmpty();
        Answer bad = api.get(judy, "/api/1/ipam/portmap?conn_port=abc");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).isEqualTo("Param conn_port must be a number, supplied: abc");
        assertThat(bad.body().get("params").get("conn_port").asString()).isEqualTo("abc");
        assertThat(api.get(judy, "/api/1/ipam/portmap?target_port=x").error())
                .isEqualTo("Param target_port must be a number, supplied: x");
    }

    @Test
    void answersTheAgentsSnapshotRequestWithTheGatewaysDesiredState() {
        String kim = TestRedis.uniqueName("kim");
        FakeAgent agent = agent(kim);
        int connPort = api.post(kim, target("192.168.1.40", 22, "snap", "Linux")).content().get("conn_port").asInt();

        var snapshot = agent.requestSnapshot();

        assertThat(snapshot.gateway().value()).isEqualTo(kim);
        assertThat(snapshot.generation()).isEqualTo(1);
        assertThat(snapshot.mappings()).singleElement().satisfies(mapping -> {
            assertThat(mapping.connPort().value()).isEqualTo(connPort);
            assertThat(mapping.target().addr().toString()).isEqualTo("192.168.1.40");
            assertThat(mapping.state()).isEqualTo(org.vlab.ipam.events.MappingState.APPLIED);
        });
    }

    /**
     * The agent's lab networks were narrowed under an applied mapping: the agent took its rule
     * away and says so. The mapping shows failed with the agent's reason and keeps its port; still
     * wanted, it goes to the agent as pending, and its applied answer brings it back.
     */
    @Test
    void showsAMappingTheAgentRefusedAfterApplyingItFailedKeepsItsPortAndTakesItBackApplied() {
        String lena = TestRedis.uniqueName("lena");
        FakeAgent agent = agent(lena);
        Map<String, String> key = Map.of("Idempotency-Key", "narrowed-1");
        var body = target("192.168.1.41", 22, "narrowed", "Linux");
        int connPort = api.send(HttpMethod.POST, "/api/1/ipam/portmap", lena, body, key).content().get("conn_port")
                .asInt();
        long generation = agent.received().get(0).generation();
        String reason = "target_addr 192.168.1.41 is outside this gateway's lab networks [192.168.2.0/24]";

        agent.publish(new PortMapFailed(GatewayId.of(lena), ConnPort.of(connPort), generation,
                PortMapRequested.Action.CREATE, reason, Instant.now()));

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listed(lena, connPort).get("state").asString()).isEqualTo("failed"));
        assertThat(listed(lena, connPort).get("error").asString()).isEqualTo(reason);
        assertThat(redis.commands().sismember(redis.keyPrefix() + "{" + lena + "}:free", Integer.toString(connPort)))
                .as("its port stays taken").isFalse();
        assertThat(agent.requestSnapshot().mappings()).singleElement().satisfies(mapping -> {
            assertThat(mapping.state()).isEqualTo(MappingState.PENDING);
            assertThat(mapping.generation()).isEqualTo(generation);
        });
        Answer replay = api.send(HttpMethod.POST, "/api/1/ipam/portmap", lena, body, key);
        assertThat(replay.status()).as("a retried create answers as the first did: api-v1's 500 means released")
                .isEqualTo(200);
        assertThat(replay.content().get("conn_port").asInt()).isEqualTo(connPort);
        assertThat(agent.received()).as("and creates nothing").hasSize(1);

        String narrower = "target_addr 192.168.1.41 is outside this gateway's lab networks [192.168.3.0/24]";
        agent.publish(new PortMapFailed(GatewayId.of(lena), ConnPort.of(connPort), generation,
                PortMapRequested.Action.CREATE, narrower, Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listed(lena, connPort).get("error").asString()).as("a later reason replaces it")
                        .isEqualTo(narrower));

        agent.publish(new PortMapApplied(GatewayId.of(lena), ConnPort.of(connPort), generation, Instant.now()));

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listed(lena, connPort).get("state").asString()).isEqualTo("applied"));
        assertThat(fieldNames(listed(lena, connPort))).doesNotContain("error");
        assertThat(agent.requestSnapshot().mappings()).singleElement()
                .satisfies(mapping -> assertThat(mapping.state()).isEqualTo(MappingState.APPLIED));
        assertThat(api.send(HttpMethod.POST, "/api/1/ipam/portmap", lena, body, key).status()).isEqualTo(200);
    }

    @Test
    void aMappingTheAgentRefusedAfterApplyingItIsDeletedLikeAnyOther() {
        String mia = TestRedis.uniqueName("mia");
        int connPort = appliedThenRefused(mia, agent(mia), "192.168.1.42");

        Answer removed = api.delete(mia, connPort);

        assertThat(removed.status()).isEqualTo(200);
        assertThat(api.get(mia, "/api/1/ipam/portmap").content().get("ports").isEmpty()).isTrue();
        assertThat(redis.commands().hexists(redis.keyPrefix() + "{" + mia + "}:maps", Integer.toString(connPort)))
                .isFalse();
    }

    @Test
    void aRefusedMappingWhoseRemovalFailedIsNoLongerOfferedToTheAgentAsWanted() {
        String noa = TestRedis.uniqueName("noa");
        FakeAgent agent = agent(noa);
        int connPort = appliedThenRefused(noa, agent, "192.168.1.43");
        agent.failWith("iptables-restore: line 2 failed");

        Answer removal = api.delete(noa, connPort);

        assertThat(removal.status()).isEqualTo(500);
        assertThat(listed(noa, connPort).get("error").asString()).isEqualTo("iptables-restore: line 2 failed");
        assertThat(agent.requestSnapshot().mappings()).singleElement()
                .satisfies(mapping -> assertThat(mapping.state()).isEqualTo(MappingState.FAILED));
    }

    /** A mapping its agent applied, then refused as an agent whose lab networks no longer hold it does; shown failed. */
    private int appliedThenRefused(String gateway, FakeAgent agent, String address) {
        int connPort = api.post(gateway, target(address, 22, "refused", "Linux")).content().get("conn_port").asInt();
        agent.publish(new PortMapFailed(GatewayId.of(gateway), ConnPort.of(connPort),
                agent.received().get(0).generation(), PortMapRequested.Action.CREATE,
                "target_addr " + address + " is outside this gateway's lab networks", Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listed(gateway, connPort).get("state").asString()).isEqualTo("failed"));
        return connPort;
    }

    private JsonNode listed(String gateway, int connPort) {
        return api.get(gateway, "/api/1/ipam/portmap").content().get("ports").get(Integer.toString(connPort));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
