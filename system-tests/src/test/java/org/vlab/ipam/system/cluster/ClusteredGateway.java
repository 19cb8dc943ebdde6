package org.vlab.ipam.system.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.vlab.ipam.system.GatewayNetwork;
import org.vlab.ipam.testsupport.NetworkLab;
import org.vlab.ipam.testsupport.ServiceProcess;

/**
 * A gateway as network namespaces ({@link GatewayNetwork}) with a client on the WAN side
 * (203.0.113.2), the gateway running the real jars of its services. The RabbitMQ cluster's nodes
 * listen on the host's loopback only, so the gateway reaches each through a relay on the node's own port.
 */
final class ClusteredGateway implements AutoCloseable {

    static final String WAN_ADDRESS = GatewayNetwork.WAN_ADDRESS;
    static final String LAB_NETWORK = GatewayNetwork.LAB_NETWORK;
    static final String LAB_HOST = GatewayNetwork.LAB_HOST;

    private final GatewayNetwork namespaces;
    private final NetworkLab network;
    private final String client;
    private final String wanInterface;

    ClusteredGateway(List<Integer> rabbitPorts) {
        namespaces = new GatewayNetwork("c", rabbitPorts);
        network = namespaces.network();
        try {
            client = network.namespace("cc");
            wanInterface = network.connect(client, "203.0.113.2/24", namespaces.gateway(), WAN_ADDRESS + "/24").interfaceB();
        } catch (RuntimeException e) {
            namespaces.close();
            throw e;
        }
    }

    /** The RabbitMQ nodes as the gateway reaches them, in {@code ports}' order, for {@code spring.rabbitmq.addresses}. */
    String rabbitAddresses(List<Integer> ports) {
        return ports.stream().map(port -> namespaces.brokerHost() + ":" + port).collect(Collectors.joining(","));
    }

    /** What the agent must be told of this gateway: its WAN interface and lab network (heartbeats every second). */
    Map<String, String> agentSettings() {
        return Map.of("IPAM_WAN_INTERFACE", wanInterface, "IPAM_LAN_CIDRS", LAB_NETWORK, "IPAM_HEARTBEAT_PERIOD", "1s");
    }

    /** Starts a gateway service's jar inside the gateway, as root, with the operator's variables in {@code environment}. */
    ServiceProcess start(Path jar, Map<String, String> environment) {
        return namespaces.start(jar, environment);
    }

    /** How many DNAT rules the gateway's kernel holds for each connection port ({@code iptables-save -t nat}). */
    Map<Integer, Long> dnatRulesByPort() {
        return namespaces.dnatRulesByPort();
    }

    /** Whether a client on the WAN side gets its words echoed by the lab host's {@code labPort} through {@code connPort}. */
    boolean clientReachesLab(int connPort, int labPort) {
        namespaces.tcpEchoOnLab(labPort);
        String words = "through " + connPort;
        return namespaces.exchange(client, "TCP:" + WAN_ADDRESS + ":" + connPort + ",connect-timeout=3", words).equals(words);
    }

    @Override
    public void close() {
        namespaces.close();
    }
}
