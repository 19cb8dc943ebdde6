package org.vlab.ipam.system.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.testsupport.ClusterTest;
import org.vlab.ipam.testsupport.NetnsTest;
import tools.jackson.databind.JsonNode;

/**
 * The real jars on the local clusters ({@link ClusterDeployment}): two API replicas on a Redis
 * Cluster and a RabbitMQ cluster, the agent, health worker and log forwarder in a gateway
 * network namespace (so the test needs root for both reasons). What a client was
 * acknowledged is read back twice: from the API (GET) and from the gateway's kernel
 * ({@code iptables-save -t nat}: exactly one DNAT per acknowledged port, and no other).
 */
@ClusterTest
@NetnsTest
class ClusterGatewaySystemTests {

    static final List<String> GATEWAY_SERVICES = List.of("firewall-agent", "health-worker", "log-forwarder");

    static ClusterDeployment deployment;

    @BeforeAll
    static void deploy() {
        deployment = ClusterDeployment.start();
    }

    @AfterAll
    static void undeploy() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @BeforeEach
    void emptyGateway() {
        deployment.clearGateway();
    }

    @Test
    void threeHundredConcurrentPostsOverTwoReplicasYield101PortsEachAppliedOnceInTheKernel() {
        ExecutorService clients = Executors.newFixedThreadPool(300);
        List<PortMapClient.Created> answers;
        try {
            answers = IntStream.range(0, 300)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> deployment.api.create(i, null), clients)).toList()
                    .stream().map(CompletableFuture::join).toList();
        } finally {
            clients.shutdownNow();
        }

        Map<Integer, Long> statuses = answers.stream().collect(Collectors.groupingBy(PortMapClient.Created::status, Collectors.counting()));
        System.out.println("[cluster-system] 300 concurrent POSTs over two replicas: " + statuses);
        // 200 once the agent's confirmation reached the answering replica within the wait, 202 (with
        // the port) when it did not: both hand out a port, and the mapping must end applied.
        assertThat(statuses.get(409)).isEqualTo(199L);
        assertThat(statuses.getOrDefault(200, 0L) + statuses.getOrDefault(202, 0L)).isEqualTo(101L);
        List<Integer> ports = answers.stream().filter(answer -> answer.status() != 409).map(PortMapClient.Created::port).toList();
        assertThat(ports).containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(ClusterDeployment.PORT_MIN, ClusterDeployment.PORT_MAX).boxed().toList());
        // a 200 means applied: the kernel holds its rule already, with no wait
        List<Integer> applied = answers.stream().filter(answer -> answer.status() == 200).map(PortMapClient.Created::port).toList();
        assertThat(deployment.gateway.dnatRulesByPort()).containsKeys(applied.toArray(Integer[]::new));
        await("every port applied once").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(deployment.gateway.dnatRulesByPort()).containsOnlyKeys(ports)
                        .allSatisfy((port, rules) -> assertThat(rules).isOne()));
        int port = ports.get(0);
        int labPort = deployment.api.list().get(port).get("target_port").asInt();
        assertThat(deployment.gateway.clientReachesLab(port, labPort)).as("a client reaches the lab through %d", port).isTrue();
    }

    @Test
    void everyAcknowledgedCreateSurvivesTheLossOfTheGatewaysRedisMaster() {
        int master = deployment.clusters.redisMasterFor(deployment.gatewaySlotKey());
        try {
            CreateStream.Outcome outcome = new CreateStream(deployment.api, "redis-kill-" + System.nanoTime() + "-")
                    .run(100, 25, () -> deployment.clusters.killRedis(master));

            report("Redis master " + master + " killed (kill -9) after 25 of 100 creates", outcome);
            assertEveryAcknowledgedCreateAppliedOnce(outcome);
            assertThat(deployment.clusters.redisMasterFor(deployment.gatewaySlotKey())).as("the replica promoted")
                    .isNotEqualTo(master);
        } finally {
            deployment.clusters.restartRedis(master);
        }
    }

    @Test
    void everyAcknowledgedCreateIsAppliedOnceWhenTheAgentsRabbitNodeStops() {
        await("the agent connected through node 1").atMost(Duration.ofSeconds(30))
                .until(() -> deployment.connectedTo("firewall-agent", 1));
        try {
            CreateStream.Outcome outcome = new CreateStream(deployment.api, "rabbit-stop-" + System.nanoTime() + "-")
                    .run(100, 25, () -> deployment.clusters.stopRabbitApp(1));

            report("RabbitMQ node 1 (the agent's) stopped after 25 of 100 creates", outcome);
            assertEveryAcknowledgedCreateAppliedOnce(outcome);
            // the agent's consumer reconnects at once; the health worker and the log forwarder only ask and
            // publish, and connect again at their next cycle or batch
            await("the agent on another node").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(List.of("firewall-agent")).allSatisfy(module -> {
                        assertThat(deployment.connectedTo(module, 1)).as(module + " on node 1").isFalse();
                        assertThat(deployment.connectedTo(module, 2) || deployment.connectedTo(module, 3)).as(module).isTrue();
                    }));
            assertThat(deployment.gatewayServices).allSatisfy(service -> assertThat(service.healthStatus()).isEqualTo("UP"));
        } finally {
            deployment.clusters.startRabbitApp(1);
        }
    }

    @Test
    void everyServiceReachesTheBrokerByItsAddressListAndEveryQueueIsReplicatedOnAllNodes() {
        // the gateway's services are given nothing but SPRING_RABBITMQ_ADDRESSES (the default host is unreachable there)
        assertThat(GATEWAY_SERVICES).allSatisfy(module -> assertThat(IntStream.rangeClosed(1, 3)
                .anyMatch(node -> deployment.connectedTo(module, node))).as(module + " connected").isTrue());
        JsonNode queues = deployment.clusters.rabbitNode(2).management().queues(deployment.vhost.name());

        assertThat(queues.valueStream().map(queue -> queue.get("name").asString()))
                .contains("ipam.agent." + deployment.gatewayId, "vlab.firewall.forward");
        assertThat(queues.valueStream()).allSatisfy(queue -> {
            assertThat(queue.get("type").asString()).as(queue.get("name").asString()).isEqualTo("quorum");
            assertThat(queue.get("members").valueStream().map(JsonNode::asString)).as(queue.get("name").asString())
                    .containsExactlyInAnyOrder("ipam-c1@localhost", "ipam-c2@localhost", "ipam-c3@localhost");
        });
    }

    private static void assertEveryAcknowledgedCreateAppliedOnce(CreateStream.Outcome outcome) {
        assertThat(outcome.answers()).allSatisfy(answer -> assertThat(answer.status()).isIn(200, 202));
        List<Integer> acknowledged = outcome.answers().stream().map(PortMapClient.Created::port).toList();
        assertThat(acknowledged).as("ports handed out").hasSize(100).doesNotHaveDuplicates();
        long started = System.nanoTime();
        await("every acknowledged create recorded and applied").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Map<Integer, JsonNode> recorded = deployment.api.list();
                    assertThat(recorded).containsOnlyKeys(acknowledged)
                            .allSatisfy((port, mapping) -> assertThat(mapping.get("state").asString()).isEqualTo("applied"));
                    assertThat(deployment.gateway.dnatRulesByPort()).containsOnlyKeys(acknowledged)
                            .allSatisfy((port, rules) -> assertThat(rules).isOne());
                });
        System.out.println("[cluster-system] every acknowledged create applied "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms after the last answer");
    }

    private static void report(String fault, CreateStream.Outcome outcome) {
        Map<Integer, Long> statuses = outcome.answers().stream()
                .collect(Collectors.groupingBy(PortMapClient.Created::status, Collectors.counting()));
        System.out.println("[cluster-system] " + fault + ": " + statuses + ", " + outcome.answeredAfterFault()
                + " answered after the fault, the last " + outcome.lastAnswerAfterFault().toMillis() + " ms after it; "
                + outcome.unavailable() + " x 503 retried, the last " + outcome.lastUnavailableAfterFault().toMillis()
                + " ms after the fault");
    }
}
