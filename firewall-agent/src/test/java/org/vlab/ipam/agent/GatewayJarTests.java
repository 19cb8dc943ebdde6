package org.vlab.ipam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.vlab.ipam.agent.testing.AgentPermissions;
import org.vlab.ipam.agent.testing.AgentUser;
import org.vlab.ipam.agent.testing.ApiStandIn;
import org.vlab.ipam.agent.testing.GatewayLab;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.GatewayState;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The agent jar inside a gateway namespace, connected to RabbitMQ over a veth as its own
 * least-privileged user, driven by commands as the API sends them, proven with real TCP from
 * a client namespace to a server in the lab namespace.
 */
@NetnsTest
@IntegrationTest
class GatewayJarTests {

    private static final int LAB_PORT = 8022;
    private static final Duration APPLY = Duration.ofSeconds(20);
    private static final long NET_ADMIN = 1L << 12;
    private static final long NET_RAW = 1L << 13;

    private final GatewayId id = GatewayId.of(TestRedis.uniqueName("gw"));
    private GatewayLab gateway;
    private ApiStandIn api;
    private AgentUser user;
    private ServiceProcess agent;

    @BeforeEach
    void buildGateway(TestVhost vhost) {
        gateway = new GatewayLab(vhost);
        api = new ApiStandIn(vhost, id);
        user = AgentUser.create(vhost, id, AgentPermissions.ownQueues(id));
        gateway.startLabServer(LAB_PORT);
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        api.close();
        user.close();
        gateway.close();
    }

    @Test
    void clientReachesTheLabThroughItsConnectionPortUntilTheMappingIsRemoved() {
        startAgent(Map.of());
        assertThat(gateway.clientReachesLab(50001)).as("before any mapping").isFalse();
        assertThat(api.snapshotUserIds()).as("user_id of the snapshot requests: the agent's RabbitMQ user")
                .containsOnly(user.name());

        api.create(50001, labTarget(LAB_PORT));
        awaitState(50001, MappingState.APPLIED);

        assertThat(gateway.clientReachesLab(50001)).as("through the mapping").isTrue();
        assertThat(agent.outputLines()).as("changes go to one long-lived iptables-restore")
                .anyMatch(line -> line.matches(".*started stdbuf -oL iptables(-nft)?-restore --noflush .*"));
        assertThat(metrics()).as("the change's transaction, timed").containsPattern(
                "ipam_agent_firewall_transaction_seconds_count\\{[^}]*kind=\"changes\"[^}]*outcome=\"ok\"[^}]*} [1-9]");
        assertThat(effectiveCapabilities(agent.pid())).as("the agent's effective capabilities")
                .isIn(NET_ADMIN, NET_ADMIN | NET_RAW);
        assertThat(gateway.agentRules().matches(gateway.rulesFor(api.desired()))).isTrue();
        assertThat(gateway.iptablesSave()).contains(GatewayLab.ADMIN_RULES);
        assertThat(gateway.onGateway("cat", "/proc/sys/net/ipv4/ip_local_reserved_ports").strip())
                .isEqualTo("8080,50000-50100");
        await("a heartbeat with the rules").atMost(APPLY).untilAsserted(() -> assertThat(api.lastHeartbeat())
                .get().satisfies(heartbeat -> assertHeartbeat(heartbeat, 3)));

        long removal = api.remove(50001);
        await("removal confirmed").atMost(APPLY).until(() -> api.mapping(50001).isEmpty());

        assertThat(api.events(PortMapRemoved.class)).anySatisfy(removed -> {
            assertThat(removed.connPort()).isEqualTo(ConnPort.of(50001));
            assertThat(removed.generation()).isEqualTo(removal);
        });
        assertThat(gateway.clientReachesLab(50001)).as("after removal").isFalse();
        assertThat(gateway.agentRules().matches(gateway.rulesFor(List.of()))).isTrue();
        assertThat(gateway.iptablesSave()).contains(GatewayLab.ADMIN_RULES);
    }

    /**
     * The same path through the nftables backend: its own table beside the administrator's
     * iptables-nft rules, whose FORWARD policy DROP lets the agent's flows through only with the
     * host's mark accept rule (see the README): until the administrator adds it, the agent
     * reports the gateway degraded, saying which rule to add. A deleted element is repaired at
     * the reconcile.
     */
    @Test
    void theNftablesBackendForwardsRepairsADeletedElementAndRemoves() {
        agent = gateway.startAgent(id, user, "own-queues",
                Map.of("IPAM_FIREWALL_BACKEND", "nftables", "IPAM_RECONCILE_PERIOD", "3s"));
        // a busy CI machine starts the jar slowly
        await("a degraded heartbeat naming the missing rule").atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(
                api.lastHeartbeat()).get().satisfies(heartbeat -> {
                    assertThat(heartbeat.state()).isEqualTo(GatewayState.DEGRADED);
                    assertThat(heartbeat.reason()).contains("FORWARD chain has the policy DROP",
                            "iptables -I FORWARD -m mark --mark 0x00100000/0x00100000");
                }));
        assertThat(agent.healthStatus()).as("the firewall health component").isEqualTo("DOWN");
        gateway.acceptMarkedForwards();
        agent.awaitHealthy(APPLY);
        await("ok once a reconcile finds the rule").atMost(APPLY).untilAsserted(() -> assertThat(
                api.lastHeartbeat()).get().satisfies(heartbeat -> assertThat(heartbeat.state())
                        .isEqualTo(GatewayState.OK)));

        api.create(50011, labTarget(LAB_PORT));
        awaitState(50011, MappingState.APPLIED);
        assertThat(gateway.clientReachesLab(50011)).as("through the nftables mapping").isTrue();
        assertThat(agent.outputLines()).as("changes go to one long-lived nft")
                .anyMatch(line -> line.contains("started stdbuf -oL nft -i"));
        assertThat(gateway.onGateway("nft", "list", "map", "ip", "vlab_ipam", "dnat_targets"))
                .contains("50011 comment \"vlab-ipam:50011\" : 192.168.77.10 . " + LAB_PORT);
        await("a heartbeat naming the backend").atMost(APPLY).untilAsserted(() -> assertThat(api.lastHeartbeat())
                .get().satisfies(heartbeat -> assertThat(heartbeat.backend()).isEqualTo("nftables")));

        gateway.onGateway("nft", "delete", "element", "ip", "vlab_ipam", "dnat_targets", "{ 50011 }");
        await("element repaired").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                .until(() -> gateway.onGateway("nft", "list", "map", "ip", "vlab_ipam", "dnat_targets").contains("50011"));
        assertThat(gateway.clientReachesLab(50011)).as("after the repair").isTrue();
        assertThat(agent.outputLines()).anyMatch(line -> line.contains("drifted from the desired state"));

        api.remove(50011);
        await("removal confirmed").atMost(APPLY).until(() -> api.mapping(50011).isEmpty());
        assertThat(gateway.clientReachesLab(50011)).as("after removal").isFalse();
        assertThat(gateway.iptablesSave()).contains(GatewayLab.ADMIN_RULES).doesNotContain("VLAB-IPAM");
    }

    @Test
    void refusesTargetOutsideLabAndReportsIt() {
        startAgent(Map.of());

        long outside = api.create(50002, target("10.9.9.9", 22));
        long itself = api.create(50003, target(GatewayLab.LAB_GATEWAY_ADDRESS, 22));
        await("both refusals reported").atMost(APPLY).until(() -> api.events(PortMapFailed.class).size() == 2);

        assertThat(api.events(PortMapFailed.class)).satisfiesExactlyInAnyOrder(
                failed -> {
                    assertThat(failed.generation()).isEqualTo(outside);
                    assertThat(failed.reason()).contains("10.9.9.9 is outside this gateway's lab networks");
                },
                failed -> {
                    assertThat(failed.generation()).isEqualTo(itself);
                    assertThat(failed.reason()).contains("192.168.77.1 is an address of the gateway itself");
                });
        assertThat(api.mappings()).isEmpty();
        assertThat(gateway.iptablesSave()).doesNotContain("10.9.9.9", "50002", "50003");
    }

    /**
     * The operator narrows IPAM_LAN_CIDRS: a mapping applied before into a network no longer
     * listed loses its rule and is reported failed with the reason (the API would otherwise go on
     * showing it applied); once the lab networks hold it again it comes back, applied.
     */
    @Test
    void aMappingAppliedBeforeTheLabNetworksWereNarrowedIsReportedFailedAndComesBackOnceTheyHoldItAgain() {
        api.recordApplied(50004, labTarget(LAB_PORT));
        startAgent(Map.of("IPAM_LAN_CIDRS", "192.168.99.0/24"));

        awaitState(50004, MappingState.FAILED);
        assertThat(api.events(PortMapFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.action()).isEqualTo(PortMapRequested.Action.CREATE);
            assertThat(failed.reason()).contains("is outside this gateway's lab networks [192.168.99.0/24]");
        });
        assertThat(gateway.clientReachesLab(50004)).as("refused").isFalse();
        assertThat(gateway.iptablesSave()).doesNotContain("50004");
        assertThat(agent.outputLines()).as("the operator's clue").anyMatch(line -> line.contains("WARN")
                && line.contains("refusing the mapping on port 50004 (generation 1, applied at the API)"));

        agent.close();
        startAgent(Map.of());

        awaitState(50004, MappingState.APPLIED);
        assertThat(gateway.clientReachesLab(50004)).as("listed again").isTrue();
        assertThat(api.events(PortMapFailed.class)).as("one answer: the refusal").hasSize(1);
    }

    /**
     * A target the gateway later takes as an address of its own (a DHCP lease, an operator's
     * {@code ip addr add}) would forward a connection port to the gateway itself: the next
     * reconcile takes the rule away and reports it; when the address goes, the mapping comes back.
     */
    @Test
    void aMappingWhoseTargetBecomesTheGatewaysOwnAddressLosesItsRuleUntilTheAddressGoes() {
        startAgent(Map.of("IPAM_RECONCILE_PERIOD", "2s"));
        long generation = api.create(50008, target("192.168.77.60", 22));
        awaitState(50008, MappingState.APPLIED);
        assertThat(gateway.iptablesSave()).contains("192.168.77.60");

        gateway.onGateway("ip", "addr", "add", "192.168.77.60/32", "dev", "lo");

        awaitState(50008, MappingState.FAILED);
        await("told once, not at every 2 s reconcile").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                .until(() -> api.events(PortMapFailed.class).size() == 1);
        assertThat(api.events(PortMapFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.generation()).isEqualTo(generation);
            assertThat(failed.reason()).contains("192.168.77.60 is an address of the gateway itself");
        });
        assertThat(gateway.iptablesSave()).doesNotContain("192.168.77.60");

        gateway.onGateway("ip", "addr", "del", "192.168.77.60/32", "dev", "lo");

        awaitState(50008, MappingState.APPLIED);
        assertThat(gateway.iptablesSave()).contains("192.168.77.60");
    }

    @Test
    void unreadableCommandsAndCommandsForAnotherGatewayAreDeadLetteredAndTheAgentCarriesOn() {
        startAgent(Map.of());
        MessageProperties properties = new MessageProperties();
        properties.setType("portmap.requested");
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        api.sendToGateway(new Message("{\"conn_port\": \"-j ACCEPT\"}".getBytes(StandardCharsets.UTF_8), properties));
        PortMapRequested forBob = PortMapRequested.create(GatewayId.of("bob"), ConnPort.of(50008), 1,
                labTarget(LAB_PORT), Instant.now());
        api.sendToGateway(new IpamMessageConverter().toMessage(forBob, new MessageProperties()));

        List<String> deadLetters = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Message deadLetter = api.deadLetter(APPLY);
            assertThat(deadLetter).as("dead letter %d", i + 1).isNotNull();
            deadLetters.add(new String(deadLetter.getBody(), StandardCharsets.UTF_8));
        }
        assertThat(deadLetters).anyMatch(body -> body.contains("-j ACCEPT")).anyMatch(body -> body.contains("bob"));

        api.create(50009, labTarget(LAB_PORT));
        awaitState(50009, MappingState.APPLIED);
        assertThat(gateway.iptablesSave()).doesNotContain("50008");
    }

    @Test
    void handFlushedChainsComeBackWithinTheReconcilePeriod(TestVhost vhost) {
        // this agent runs with the strictest profile: its queues are provisioned, it declares nothing
        user.close();
        user = AgentUser.create(vhost, id, AgentPermissions.provisionedQueues(id));
        Duration period = Duration.ofSeconds(3);
        startAgent("none", Map.of("IPAM_RECONCILE_PERIOD", "3s"));
        api.create(50004, labTarget(LAB_PORT));
        awaitState(50004, MappingState.APPLIED);

        gateway.flushAgentChains();
        assertThat(gateway.clientReachesLab(50004)).as("right after the flush").isFalse();

        await("chains repaired").atMost(period.plusSeconds(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> gateway.agentRules().matches(gateway.rulesFor(api.desired())));
        assertThat(gateway.clientReachesLab(50004)).as("after the repair").isTrue();
        assertThat(gateway.iptablesSave()).contains(GatewayLab.ADMIN_RULES);
        assertThat(agent.outputLines()).anyMatch(line -> line.contains("drifted from the desired state"));
    }

    @Test
    void aBurstOfCommandsBecomesFewTransactions() {
        startAgent(Map.of());
        api.create(50005, labTarget(LAB_PORT));
        awaitState(50005, MappingState.APPLIED);
        long before = transactions();

        List<java.util.concurrent.CompletableFuture<Long>> burst = new java.util.ArrayList<>();
        for (int port = 50010; port < 50070; port++) {
            burst.add(api.publish(port, labTarget(22), MappingState.PENDING));
        }
        burst.forEach(java.util.concurrent.CompletableFuture::join);
        await("the burst applied").atMost(APPLY).until(() -> api.mappings().stream()
                .allMatch(mapping -> mapping.state() == MappingState.APPLIED));

        long used = transactions() - before;
        System.out.println("[burst] 60 commands took " + used + " iptables-restore transactions");
        // no floor: the first command starts a sync at once, and only those arriving while one runs share the
        // next; with the long-lived restore a transaction takes about a millisecond, so fewer arrive meanwhile
        assertThat(used).as("transactions for a burst of 60 commands: at least 1.5 commands each on average")
                .isBetween(1L, 40L);
        assertThat(gateway.agentRules().matches(gateway.rulesFor(api.desired()))).isTrue();
    }

    @Test
    void reconcilesAfterTheBrokerConnectionComesBackAndTakesCommandsSentMeanwhile() {
        startAgent(Map.of());
        api.create(50006, labTarget(LAB_PORT));
        awaitState(50006, MappingState.APPLIED);
        int requests = api.snapshotRequests();

        gateway.interruptBroker();
        api.create(50007, labTarget(LAB_PORT));
        gateway.restoreBroker();

        // well within the 30 s reconcile period: the new connection itself triggers the reconcile
        await("snapshot after reconnect").atMost(Duration.ofSeconds(20)).until(() -> api.snapshotRequests() > requests);
        awaitState(50007, MappingState.APPLIED);
        assertThat(gateway.clientReachesLab(50007)).isTrue();
        assertThat(gateway.agentRules().matches(gateway.rulesFor(api.desired()))).isTrue();
    }

    private void startAgent(Map<String, String> environment) {
        startAgent("own-queues", environment);
    }

    private void startAgent(String declareTopology, Map<String, String> environment) {
        agent = gateway.startAgent(id, user, declareTopology, environment);
        agent.awaitHealthy(Duration.ofSeconds(120)); // a busy CI machine starts the jar slowly
        await("first snapshot requested").atMost(APPLY).until(() -> api.snapshotRequests() > 0);
    }

    private static long effectiveCapabilities(long pid) {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("CapEff:")).map(line -> Long.parseLong(line.substring(7).strip(), 16))
                    .findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long transactions() {
        return agent.outputLines().stream().filter(line -> line.contains("iptables-restore transaction")).count();
    }

    private String metrics() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(agent.uri("/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitState(int port, MappingState state) {
        await("port " + port + " " + state).atMost(APPLY)
                .until(() -> api.mapping(port).map(mapping -> mapping.state() == state).orElse(false));
    }

    private void assertHeartbeat(GatewayHeartbeat heartbeat, int rules) {
        assertThat(heartbeat.wanAddress()).isEqualTo(Ipv4Address.parse(GatewayLab.WAN_ADDRESS));
        assertThat(heartbeat.labNetworks()).containsExactly(LabNetwork.of(GatewayLab.LAB_NETWORK));
        assertThat(heartbeat.backend()).isEqualTo("iptables");
        assertThat(heartbeat.ruleCount()).isEqualTo(rules);
        assertThat(heartbeat.agentVersion()).isNotBlank().isNotEqualTo("unknown");
        assertThat(heartbeat.appliedGeneration()).isPositive();
    }

    private static PortMapTarget labTarget(int port) {
        return target(GatewayLab.LAB_HOST_ADDRESS, port);
    }

    private static PortMapTarget target(String address, int port) {
        return new PortMapTarget(LabAddress.of(address), TargetPort.of(port), MachineName.of("lab host"),
                Component.of("Linux"));
    }
}
