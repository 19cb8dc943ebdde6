package org.vlab.ipam.system.cluster;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.vlab.ipam.testsupport.NetworkLab;
import org.vlab.ipam.testsupport.ServiceProcess;

/**
 * A gateway as network namespaces, as {@code demo/gateway-in-a-box} builds it: a client on the WAN
 * side (203.0.113.0/24), the gateway running the real jars of its services, and a lab host
 * (192.168.1.20) routed through it. The RabbitMQ cluster's nodes listen on the host's loopback
 * only, so the gateway reaches each through a socat relay on the host's end of a veth pair, on
 * the node's own port.
 */
final class ClusteredGateway implements AutoCloseable {

    static final String WAN_ADDRESS = "203.0.113.1";
    static final String LAB_NETWORK = "192.168.1.0/24";
    static final String LAB_HOST = "192.168.1.20";
    private static final Pattern DNAT_PORT = Pattern.compile("-A \\S+ .*--dport (\\d+) .*-j DNAT");

    private final NetworkLab network = new NetworkLab();
    private final String client;
    private final String gateway;
    private final String lab;
    private final String wanInterface;
    private final String hostAddress;
    private final String gatewayAddress;
    private final List<ServiceProcess> services = new ArrayList<>();

    ClusteredGateway(List<Integer> rabbitPorts) {
        try {
            client = network.namespace("cc");
            gateway = network.namespace("cg");
            lab = network.namespace("cl");
            wanInterface = network.connect(client, "203.0.113.2/24", gateway, WAN_ADDRESS + "/24").interfaceB();
            network.link(gateway, "192.168.1.1/24", lab, LAB_HOST + "/24");
            network.exec(lab, "ip", "route", "add", "default", "via", "192.168.1.1");
            network.exec(gateway, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            // a random /30 of 100.64.0.0/10 for the host link, so parallel runs do not collide
            int base = 4 * ThreadLocalRandom.current().nextInt(1 << 14);
            String prefix = "100." + (64 + (base >> 16)) + "." + ((base >> 8) & 0xff) + ".";
            hostAddress = prefix + ((base & 0xff) + 1);
            gatewayAddress = prefix + ((base & 0xff) + 2);
            network.connectToHost(gateway, gatewayAddress + "/30", hostAddress + "/30");
            for (int port : rabbitPorts) {
                network.startOnHost("socat", "TCP-LISTEN:" + port + ",bind=" + hostAddress + ",reuseaddr,fork",
                        "TCP:127.0.0.1:" + port);
                await("relay to RabbitMQ on " + port).atMost(Duration.ofSeconds(10)).until(() -> network.exec(gateway,
                        "bash", "-c", "exec 3<>/dev/tcp/" + hostAddress + "/" + port + " && echo open || true").contains("open"));
            }
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The RabbitMQ nodes as the gateway reaches them, in {@code ports}' order, for {@code spring.rabbitmq.addresses}. */
    String rabbitAddresses(List<Integer> ports) {
        return ports.stream().map(port -> hostAddress + ":" + port).collect(Collectors.joining(","));
    }

    /** What the agent must be told of this gateway: its WAN interface and lab network (heartbeats every second). */
    Map<String, String> agentSettings() {
        return Map.of("IPAM_WAN_INTERFACE", wanInterface, "IPAM_LAN_CIDRS", LAB_NETWORK, "IPAM_HEARTBEAT_PERIOD", "1s");
    }

    /** Starts a gateway service's jar inside the gateway, as root, with the operator's variables in {@code environment}. */
    ServiceProcess start(Path jar, Map<String, String> environment) {
        ServiceProcess service = ServiceProcess.start(List.of("ip", "netns", "exec", gateway), gatewayAddress, jar, 0,
                List.of(), environment);
        services.add(service);
        return service;
    }

    /** How many DNAT rules the gateway's kernel holds for each connection port ({@code iptables-save -t nat}). */
    Map<Integer, Long> dnatRulesByPort() {
        return network.exec(gateway, "iptables-save", "-t", "nat").lines().map(DNAT_PORT::matcher)
                .filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** Whether a client on the WAN side gets its words echoed by the lab host's {@code labPort} through {@code connPort}. */
    boolean clientReachesLab(int connPort, int labPort) {
        if (!network.exec(lab, "ss", "-Hltn").contains(":" + labPort + " ")) {
            network.start(lab, "socat", "TCP-LISTEN:" + labPort + ",reuseaddr,fork", "EXEC:cat");
            await("lab server on " + labPort).atMost(Duration.ofSeconds(10))
                    .until(() -> network.exec(lab, "ss", "-Hltn").contains(":" + labPort + " "));
        }
        String words = "through " + connPort;
        return network.exec(client, "bash", "-c", "echo '" + words + "' | socat -T 3 - TCP:" + WAN_ADDRESS + ":"
                + connPort + ",connect-timeout=3 || true").strip().equals(words);
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::close);
        network.close();
    }
}
