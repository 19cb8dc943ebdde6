package org.vlab.ipam.system.cluster;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vlab.ipam.system.Checkout;
import org.vlab.ipam.testsupport.FreePort;
import org.vlab.ipam.testsupport.LocalClusters;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The deployment the cluster system tests share: two ipam-api jars on the local Redis Cluster
 * and RabbitMQ cluster, and one gateway whose real firewall-agent jar is connected to RabbitMQ
 * node 1 first (every service lists node 1 first, so stopping it makes all of them move). Set
 * up as an operator would, by environment variables only; tokens come from {@code dev/token}.
 */
final class ClusterDeployment implements AutoCloseable {

    static final int PORT_MIN = 50000;
    static final int PORT_MAX = 50100;
    static final String ISSUER = "https://localhost";
    private static final String DEV_SECRET = "cluster-system-tests-secret-of-32-bytes-or-more";
    private static final List<Integer> RABBIT_PORTS = List.of(5701, 5702, 5703);
    private static final Duration START = Duration.ofSeconds(180);

    final LocalClusters clusters;
    final TestVhost vhost;
    final String gatewayId = TestRedis.uniqueName("cgw");
    final String keyPrefix = "ipam-system-" + Long.toHexString(System.nanoTime()) + ":";
    final ClusteredGateway gateway;
    final List<ServiceProcess> replicas = new ArrayList<>();
    final List<ServiceProcess> gatewayServices = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    ServiceProcess agent;
    PortMapClient api;

    private ClusterDeployment(LocalClusters clusters) {
        this.clusters = clusters;
        this.vhost = clusters.rabbitNode(1).newVhost("cluster-system");
        this.gateway = new ClusteredGateway(RABBIT_PORTS);
    }

    static ClusterDeployment start() {
        ClusterDeployment deployment = new ClusterDeployment(LocalClusters.get());
        try {
            deployment.startServices();
            return deployment;
        } catch (RuntimeException e) {
            deployment.close();
            throw e;
        }
    }

    private void startServices() {
        Map<String, String> apiEnvironment = new HashMap<>(common());
        apiEnvironment.putAll(Map.of("SPRING_RABBITMQ_USERNAME", "guest", "SPRING_RABBITMQ_PASSWORD", "guest"));
        apiEnvironment.putAll(Map.of("SPRING_DATA_REDIS_CLUSTER_NODES", String.join(",", clusters.redisNodes()),
                "SPRING_RABBITMQ_ADDRESSES", clusters.rabbitAddresses(), "IPAM_AUTH_DEV_SECRET", DEV_SECRET,
                "VLAB_URL", ISSUER, "IPAM_APPLY_WAIT", "20s", "IPAM_LAN_CIDRS", ClusteredGateway.LAB_NETWORK));
        List<String> apiArguments = List.of("--ipam.redis-key-prefix=" + keyPrefix, "--ipam.rate-limit.enabled=false");
        for (int i = 0; i < 2; i++) {
            replicas.add(ServiceProcess.start(List.of(), "127.0.0.1", Checkout.jar("ipam-api"), FreePort.next(),
                    apiArguments, apiEnvironment));
        }
        agent = startInGateway("firewall-agent", gateway.agentSettings());
        Path logs = Checkout.temporaryDirectory("cluster-system-");
        gatewayServices.add(agent);
        gatewayServices.add(startInGateway("health-worker", Map.of()));
        gatewayServices.add(startInGateway("log-forwarder", Map.of("IPAM_LOG_FILE", logs.resolve("firewall.log").toString(),
                "IPAM_LOG_STATE_DIR", logs.resolve("state").toString())));
        Stream.concat(replicas.stream(), gatewayServices.stream()).forEach(service -> service.awaitHealthy(START));
        api = new PortMapClient(replicas.stream().map(replica -> replica.applicationUri("/api/1/ipam/portmap")).toList(),
                Checkout.devToken(gatewayId, ISSUER, DEV_SECRET));
    }

    private Map<String, String> common() {
        return Map.of("SPRING_RABBITMQ_VIRTUAL_HOST", vhost.name(), "VLAB_PORT_MIN", Integer.toString(PORT_MIN),
                "VLAB_PORT_MAX", Integer.toString(PORT_MAX), "JAVA_TOOL_OPTIONS", "-Xmx384m");
    }

    /**
     * Starts {@code module}'s jar in the gateway as its own RabbitMQ user (full rights on the vhost,
     * declaring its topology), given every RabbitMQ node by {@code SPRING_RABBITMQ_ADDRESSES}, node 1 first.
     */
    private ServiceProcess startInGateway(String module, Map<String, String> settings) {
        vhost.endpoint().management().createUser(serviceUser(module), serviceUser(module));
        users.add(serviceUser(module));
        vhost.endpoint().management().setPermissions(vhost.name(), serviceUser(module), ".*", ".*", ".*");
        Map<String, String> environment = new HashMap<>(common());
        environment.putAll(settings);
        environment.putAll(Map.of("IPAM_GATEWAY_ID", gatewayId, "SPRING_RABBITMQ_USERNAME", serviceUser(module),
                "SPRING_RABBITMQ_PASSWORD", serviceUser(module), "SPRING_RABBITMQ_ADDRESSES",
                gateway.rabbitAddresses(RABBIT_PORTS)));
        return gateway.start(Checkout.jar(module), environment);
    }

    /** A gateway service's own RabbitMQ user, so its connections can be told apart from the others'. */
    String serviceUser(String module) {
        return module + "-" + gatewayId;
    }

    /** Whether {@code module} has a connection to RabbitMQ node {@code n} (asked of node 2 or 3: node 1 may be stopped). */
    boolean connectedTo(String module, int n) {
        return clusters.rabbitNode(n == 2 ? 3 : 2).management().connections(serviceUser(module)).stream()
                .anyMatch(name -> name.endsWith(":" + (5700 + n)));
    }

    /** The key of the gateway's port set, whose slot holds every key of the gateway. */
    String gatewaySlotKey() {
        return keyPrefix + "{" + gatewayId + "}:ports";
    }

    /** Deletes every mapping of the gateway and waits until the API lists none and the kernel holds no DNAT. */
    void clearGateway() {
        api.list().keySet().forEach(api::delete);
        await("gateway cleared").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.list().isEmpty() && gateway.dnatRulesByPort().isEmpty());
    }

    @Override
    public void close() {
        replicas.forEach(ServiceProcess::close);
        gateway.close();
        try {
            users.forEach(user -> vhost.endpoint().management().deleteUser(user));
        } finally {
            vhost.close();
        }
    }
}
