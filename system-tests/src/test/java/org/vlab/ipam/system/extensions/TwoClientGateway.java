package org.vlab.ipam.system.extensions;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vlab.ipam.system.GatewayNetwork;
import org.vlab.ipam.testsupport.NetworkLab;
import org.vlab.ipam.testsupport.ServiceProcess;

/**
 * A gateway ({@link GatewayNetwork}) with two clients on its WAN side: both clients
 * ({@value #CLIENT_1}, {@value #CLIENT_2}) and the gateway's {@code wan} interface hang on one
 * bridge in a switch namespace. The gateway runs ulogd2 on NFLOG group 5 (the agent's default)
 * into a file the log forwarder tails, as {@code demo/gateway-in-a-box} does.
 */
final class TwoClientGateway implements AutoCloseable {

    static final String CLIENT_1 = "203.0.113.10";
    static final String CLIENT_2 = "203.0.113.11";

    private final GatewayNetwork namespaces;
    private final NetworkLab network;
    private final String wanSwitch;
    final String client1;
    final String client2;
    final Path firewallLog;
    private int switchPorts;

    TwoClientGateway(int rabbitPort) {
        namespaces = new GatewayNetwork("x", List.of(rabbitPort));
        network = namespaces.network();
        try {
            wanSwitch = network.namespace("xs");
            client1 = network.namespace("x1");
            client2 = network.namespace("x2");
            network.exec(wanSwitch, "ip", "link", "add", "br0", "type", "bridge");
            network.exec(wanSwitch, "ip", "link", "set", "br0", "up");
            plug(namespaces.gateway(), "wan", GatewayNetwork.WAN_ADDRESS);
            plug(client1, "eth0", CLIENT_1);
            plug(client2, "eth0", CLIENT_2);
            firewallLog = startUlogd();
        } catch (RuntimeException e) {
            namespaces.close();
            throw e;
        }
    }

    /** A veth pair from the switch's bridge to {@code namespace}, whose end is {@code name} with {@code address}/24. */
    private void plug(String namespace, String name, String address) {
        String port = "p" + switchPorts++;
        network.exec(wanSwitch, "ip", "link", "add", port, "type", "veth", "peer", "name", name, "netns", namespace);
        network.exec(wanSwitch, "ip", "link", "set", port, "master", "br0", "up");
        network.exec(namespace, "ip", "addr", "add", address + "/24", "dev", name);
        network.exec(namespace, "ip", "link", "set", name, "up");
    }

    private Path startUlogd() {
        try {
            Path directory = Files.createTempDirectory("port-map-extensions-");
            Path log = Files.createFile(directory.resolve("firewall.log"));
            Path configuration = Files.writeString(directory.resolve("ulogd.conf"), String.join("\n", "[global]",
                    "logfile=\"" + directory.resolve("ulogd-daemon.log") + "\"",
                    "stack=log1:NFLOG,base1:BASE,ifi1:IFINDEX,ip2str1:IP2STR,print1:PRINTPKT,emu1:LOGEMU",
                    "[log1]", "group=5", "[emu1]", "file=\"" + log + "\"", "sync=1", ""));
            network.start(namespaces.gateway(), "ulogd", "-c", configuration.toString());
            return log;
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up ulogd2", e);
        }
    }

    /** The address the gateway reaches the host's RabbitMQ relay by. */
    String brokerHost() {
        return namespaces.brokerHost();
    }

    /** Starts a gateway service's jar inside the gateway, as root, with the operator's variables in {@code environment}. */
    ServiceProcess start(Path jar, Map<String, String> environment) {
        return namespaces.start(jar, environment);
    }

    /** The connection ports the gateway's kernel holds a DNAT rule for. */
    Set<Integer> dnatPorts() {
        return namespaces.dnatRulesByPort().keySet();
    }

    void tcpEchoOnLab(int labPort) {
        namespaces.tcpEchoOnLab(labPort);
    }

    /** Starts a UDP echo server (python3) on the lab host's {@code labPort}. */
    void udpEchoOnLab(int labPort) {
        network.start(namespaces.lab(), "python3", "-c", "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "s.bind(('0.0.0.0', " + labPort + "))\nwhile True:\n    data, peer = s.recvfrom(2048)\n    s.sendto(data, peer)\n");
        await("UDP echo on " + labPort).atMost(Duration.ofSeconds(10))
                .until(() -> network.exec(namespaces.lab(), "ss", "-Hlun").contains(":" + labPort + " "));
    }

    /** What comes back when {@code client} sends a line over TCP to the gateway's {@code connPort} (empty: nothing). */
    String tcpExchange(String client, int connPort) {
        return namespaces.exchange(client, "TCP:" + GatewayNetwork.WAN_ADDRESS + ":" + connPort + ",connect-timeout=3",
                "tcp from " + client);
    }

    /** What comes back when {@code client} sends one UDP datagram to the gateway's {@code connPort} (empty: nothing). */
    String udpExchange(String client, int connPort) {
        return namespaces.exchange(client, "UDP:" + GatewayNetwork.WAN_ADDRESS + ":" + connPort, "udp from " + client);
    }

    @Override
    public void close() {
        namespaces.close();
    }
}
