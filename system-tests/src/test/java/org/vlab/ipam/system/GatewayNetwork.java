package org.vlab.ipam.system;

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
 * A gateway and its lab as network namespaces, as {@code demo/gateway-in-a-box} builds them: the
 * lab host (192.168.1.20) routed through the gateway, whose services run as real jars inside it.
 * RabbitMQ listens on the host's loopback only, so the gateway reaches each broker port through a
 * socat relay on the host's end of a veth pair, on the same port. The WAN side is the caller's:
 * it puts clients on 203.0.113.0/24 and the gateway's WAN interface at {@link #WAN_ADDRESS}.
 */
public final class GatewayNetwork implements AutoCloseable {

    public static final String WAN_ADDRESS = "203.0.113.1";
    public static final String LAB_NETWORK = "192.168.1.0/24";
    public static final String LAB_HOST = "192.168.1.20";
    private static final Pattern DNAT_PORT = Pattern.compile("-A \\S+ .*--dport (\\d+) .*-j DNAT");

    private final NetworkLab network = new NetworkLab();
    private final String gateway;
    private final String lab;
    private final String hostAddress;
    private final String gatewayAddress;
    private final List<ServiceProcess> services = new ArrayList<>();

    /** The gateway and lab namespaces (named {@code <prefix>g-…}, {@code <prefix>l-…}), relaying {@code brokerPorts}. */
    public GatewayNetwork(String prefix, List<Integer> brokerPorts) {
        try {
            gateway = network.namespace(prefix + "g");
            lab = network.namespace(prefix + "l");
            network.link(gateway, "192.168.1.1/24", lab, LAB_HOST + "/24");
            network.exec(lab, "ip", "route", "add", "default", "via", "192.168.1.1");
            network.exec(gateway, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            // a random /30 of 100.64.0.0/10 for the host link, so parallel runs do not collide
            int base = 4 * ThreadLocalRandom.current().nextInt(1 << 14);
            String hostPrefix = "100." + (64 + (base >> 16)) + "." + ((base >> 8) & 0xff) + ".";
            hostAddress = hostPrefix + ((base & 0xff) + 1);
            gatewayAddress = hostPrefix + ((base & 0xff) + 2);
            network.connectToHost(gateway, gatewayAddress + "/30", hostAddress + "/30");
            for (int port : brokerPorts) {
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

    /** The namespaces, to add the WAN side, run commands and start processes (stopped on close). */
    public NetworkLab network() {
        return network;
    }

    public String gateway() {
        return gateway;
    }

    public String lab() {
        return lab;
    }

    /** The address the gateway reaches the host's broker relays by. */
    public String brokerHost() {
        return hostAddress;
    }

    /** Starts a gateway service's jar inside the gateway, as root, with the operator's variables in {@code environment}. */
    public ServiceProcess start(Path jar, Map<String, String> environment) {
        ServiceProcess service = ServiceProcess.start(List.of("ip", "netns", "exec", gateway), gatewayAddress, jar, 0,
                List.of(), environment);
        services.add(service);
        return service;
    }

    /** How many DNAT rules the gateway's kernel holds for each connection port ({@code iptables-save -t nat}). */
    public Map<Integer, Long> dnatRulesByPort() {
        return network.exec(gateway, "iptables-save", "-t", "nat").lines().map(DNAT_PORT::matcher)
                .filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** Starts a TCP echo server on the lab host's {@code labPort}, unless one listens there already. */
    public void tcpEchoOnLab(int labPort) {
        if (!network.exec(lab, "ss", "-Hltn").contains(":" + labPort + " ")) {
            network.start(lab, "socat", "TCP-LISTEN:" + labPort + ",reuseaddr,fork", "EXEC:cat");
            await("TCP echo on " + labPort).atMost(Duration.ofSeconds(10))
                    .until(() -> network.exec(lab, "ss", "-Hltn").contains(":" + labPort + " "));
        }
    }

    /**
     * What comes back when {@code client} sends {@code words} and a newline to socat's {@code address}
     * (such as {@code TCP:203.0.113.1:50000,connect-timeout=3}), waiting 3 s at most for an answer;
     * empty when nothing came back (socat's complaint is dropped).
     */
    public String exchange(String client, String address, String words) {
        return network.exec(client, "bash", "-c", "echo '" + words + "' | socat -t 3 -T 3 - " + address
                + " 2>/dev/null || true").strip();
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::close);
        network.close();
    }
}
