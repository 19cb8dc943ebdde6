package org.vlab.ipam.agent.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.vlab.ipam.agent.nftables.NftRenderer;
import org.vlab.ipam.agent.rules.DesiredRules;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.ObservedRules;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.testsupport.FreePort;
import org.vlab.ipam.testsupport.NetworkLab;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * A gateway as network namespaces: a client on the WAN side (203.0.113.0/24), the gateway,
 * and a lab host (192.168.77.10) whose default route is the gateway. The gateway already has
 * an administrator's rules (FORWARD policy DROP with an ESTABLISHED accept, a DNAT in
 * PREROUTING) that the agent must leave alone. RabbitMQ listens on the host's loopback only,
 * so the gateway reaches it through a socat relay on a veth address of the host. The agent runs
 * there as root with no capability but NET_ADMIN (and NET_RAW for legacy iptables).
 */
public final class GatewayLab implements AutoCloseable {

    public static final String WAN_ADDRESS = "203.0.113.1";
    public static final String LAB_NETWORK = "192.168.77.0/24";
    public static final String LAB_GATEWAY_ADDRESS = "192.168.77.1";
    public static final String LAB_HOST_ADDRESS = "192.168.77.10";
    /** The client's address on the WAN side. */
    public static final String CLIENT_ADDRESS = "203.0.113.2";
    /** The client's second address (see {@link #addOtherClientAddress}): another source on the WAN side. */
    public static final String OTHER_CLIENT_ADDRESS = "203.0.113.3";
    /** The administrator's rules the agent must never touch. */
    public static final List<String> ADMIN_RULES = List.of(
            "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment admin-established -j ACCEPT",
            "-A PREROUTING -p tcp -m tcp --dport 2222 -m comment --comment admin-dnat -j DNAT --to-destination 192.168.77.10:22");

    private final NetworkLab network = new NetworkLab();
    private final TestVhost vhost;
    /** The iptables the administrator uses, {@code iptables} (the host's default) or {@code iptables-legacy}. */
    private final String iptables;
    private final String client;
    private final String gateway;
    private final String lab;
    private final String wanInterface;
    private final String clientInterface;
    private final String hostAddress;
    private final String gatewayManagementAddress;
    private final int relayPort;
    private Process relay;

    public GatewayLab(TestVhost vhost) {
        this(vhost, "iptables");
    }

    /** A gateway without the way to the broker, for tests of the firewall alone (no agent process). */
    public static GatewayLab withoutBroker() {
        return new GatewayLab(null, "iptables");
    }

    /** A gateway whose administrator's rules are written with {@code iptables} ({@code iptables-legacy}, ...). */
    public GatewayLab(TestVhost vhost, String iptables) {
        this.vhost = vhost;
        this.iptables = iptables;
        try {
            client = network.namespace("client");
            gateway = network.namespace("gw");
            lab = network.namespace("lab");
            NetworkLab.Link wan = network.connect(client, CLIENT_ADDRESS + "/24", gateway, WAN_ADDRESS + "/24");
            wanInterface = wan.interfaceB();
            clientInterface = wan.interfaceA();
            network.link(gateway, LAB_GATEWAY_ADDRESS + "/24", lab, LAB_HOST_ADDRESS + "/24");
            network.exec(lab, "ip", "route", "add", "default", "via", LAB_GATEWAY_ADDRESS);
            network.exec(gateway, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            // a reservation of someone else's, which the agent must keep
            network.exec(gateway, "sysctl", "-q", "-w", "net.ipv4.ip_local_reserved_ports=8080");
            network.exec(gateway, iptables, "-P", "FORWARD", "DROP");
            for (String rule : ADMIN_RULES) {
                List<String> command = new ArrayList<>(List.of(iptables, "-w", "-t", rule.contains("DNAT") ? "nat" : "filter"));
                command.addAll(List.of(rule.split(" ")));
                network.exec(gateway, command.toArray(String[]::new));
            }
            // a random /30 of 100.64.0.0/10 for the host link, so parallel runs do not collide
            if (vhost == null) {
                hostAddress = null;
                gatewayManagementAddress = null;
                relayPort = 0;
                return;
            }
            int base = 4 * ThreadLocalRandom.current().nextInt(1 << 14);
            String prefix = "100." + (64 + (base >> 16)) + "." + ((base >> 8) & 0xff) + ".";
            hostAddress = prefix + ((base & 0xff) + 1);
            gatewayManagementAddress = prefix + ((base & 0xff) + 2);
            network.connectToHost(gateway, gatewayManagementAddress + "/30", hostAddress + "/30");
            relayPort = FreePort.next();
            restoreBroker();
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Cuts the gateway off the broker: the relay and every connection through it end. */
    public void interruptBroker() {
        relay.descendants().forEach(ProcessHandle::destroyForcibly);
        relay.destroyForcibly();
        await("relay stopped").atMost(Duration.ofSeconds(10)).until(() -> !relay.isAlive());
    }

    /** (Re)starts the relay from the gateway to the broker. */
    public void restoreBroker() {
        relay = network.startOnHost("socat", "TCP-LISTEN:" + relayPort + ",bind=" + hostAddress + ",reuseaddr,fork",
                "TCP:" + vhost.endpoint().host() + ":" + vhost.endpoint().amqpPort());
        await("relay to RabbitMQ").atMost(Duration.ofSeconds(10)).until(() ->
                network.exec(gateway, "bash", "-c", "exec 3<>/dev/tcp/" + hostAddress + "/" + relayPort
                        + " && echo open || true").contains("open"));
    }

    /** The gateway's network namespace, for commands run in it with their own input. */
    public String gatewayNamespace() {
        return gateway;
    }

    public String wanInterface() {
        return wanInterface;
    }

    /** The rules the agent must hold for {@code ports} with its default options, as {@link RuleBuilder} renders them. */
    public DesiredRules rulesFor(List<ForwardedPort> ports) {
        return new RuleBuilder(new RuleOptions(InterfaceName.of(wanInterface), LogTarget.NFLOG, 5, 10, 20)).build(ports);
    }

    /** Starts the agent jar inside the gateway namespace, as its own RabbitMQ user. */
    public ServiceProcess startAgent(GatewayId id, AgentUser user, String declareTopology, Map<String, String> extra) {
        List<String> arguments = List.of("--spring.rabbitmq.host=" + hostAddress, "--spring.rabbitmq.port=" + relayPort,
                "--spring.rabbitmq.username=" + user.name(), "--spring.rabbitmq.password=" + user.password(),
                "--spring.rabbitmq.virtual-host=" + vhost.name());
        Map<String, String> environment = new HashMap<>(Map.of("IPAM_GATEWAY_ID", id.value(),
                "IPAM_WAN_INTERFACE", wanInterface, "IPAM_LAN_CIDRS", LAB_NETWORK, "IPAM_DECLARE_TOPOLOGY",
                declareTopology, "IPAM_HEARTBEAT_PERIOD", "1s"));
        environment.putAll(extra);
        return ServiceProcess.start(List.of("ip", "netns", "exec", gateway, "setpriv", "--no-new-privs",
                "--bounding-set=" + capabilities()), gatewayManagementAddress, ServiceProcess.serviceJar(), arguments,
                environment);
    }

    /**
     * Least privilege: the agent runs as root with every capability dropped but NET_ADMIN, which
     * iptables over nf_tables needs; the legacy iptables also needs NET_RAW.
     */
    private String capabilities() {
        return network.exec(gateway, iptables, "-V").contains("nf_tables") ? "-all,+net_admin"
                : "-all,+net_admin,+net_raw";
    }

    /** Flushes the agent's entry chains and deletes the jump into its filter chain, as a careless administrator would. */
    public void flushAgentChains() {
        network.exec(gateway, iptables, "-w", "-t", "nat", "-F", "VLAB-IPAM-DNAT");
        network.exec(gateway, iptables, "-w", "-F", "VLAB-IPAM-FWD");
        // the jump exactly as the agent writes it ("-I FORWARD [1] ..." becomes "-D FORWARD ...")
        List<String> jump = new ArrayList<>(List.of(iptables, "-w", "-D"));
        List<String> words = List.of(rulesFor(List.of()).filterJump().split(" "));
        jump.add(words.get(1));
        jump.addAll(words.subList(words.get(2).matches("\\d+") ? 3 : 2, words.size()));
        network.exec(gateway, jump.toArray(String[]::new));
    }

    /**
     * The administrator's rule that a FORWARD policy DROP needs for the nftables backend: accept
     * what the agent's table accepted and marked (see the README).
     */
    public void acceptMarkedForwards() {
        network.exec(gateway, iptables, "-w", "-I", "FORWARD", "-m", "mark", "--mark",
                NftRenderer.ACCEPT_MARK + "/" + NftRenderer.ACCEPT_MARK, "-m", "comment", "--comment", "vlab-ipam-nft",
                "-j", "ACCEPT");
    }

    /** Starts an echo server on the lab host. */
    public void startLabServer(int port) {
        network.start(lab, "socat", "TCP-LISTEN:" + port + ",reuseaddr,fork", "EXEC:cat");
        await("lab server on port " + port).atMost(Duration.ofSeconds(10))
                .until(() -> network.exec(lab, "ss", "-Hltn").contains(":" + port + " "));
    }

    /** Whether a client on the WAN side gets its words echoed through {@code WAN_ADDRESS:connPort}. */
    public boolean clientReachesLab(int connPort) {
        return clientIsEchoedBy(WAN_ADDRESS, connPort);
    }

    /** Gives the client {@link #OTHER_CLIENT_ADDRESS} too, to send from a second source on the same link. */
    public void addOtherClientAddress() {
        network.exec(client, "ip", "addr", "add", OTHER_CLIENT_ADDRESS + "/24", "dev", clientInterface);
    }

    /** Starts a udp echo server on the lab host: each datagram comes back to its sender. */
    public void startLabUdpServer(int port) {
        network.start(lab, "socat", "UDP-LISTEN:" + port + ",reuseaddr,fork", "EXEC:cat");
        await("lab udp server on port " + port).atMost(Duration.ofSeconds(10))
                .until(() -> network.exec(lab, "ss", "-Hlun").contains(":" + port + " "));
    }

    /**
     * Whether the client, sending from {@code source}, gets its words echoed through
     * {@code WAN_ADDRESS:connPort} over {@code protocol} ("tcp" or "udp").
     */
    public boolean clientReachesLab(String protocol, int connPort, String source) {
        return echoed(protocol.toUpperCase(java.util.Locale.ROOT) + ":" + WAN_ADDRESS + ":" + connPort + ",bind=" + source
                + (protocol.equals("tcp") ? ",connect-timeout=3" : ""));
    }

    /** Opens a long-lived udp flow (one source port) from the client through {@code WAN_ADDRESS:connPort}. */
    public TcpSession openUdpFlow(int connPort) {
        return new TcpSession(network.start(client, "socat", "-", "UDP:" + WAN_ADDRESS + ":" + connPort + ",bind="
                + CLIENT_ADDRESS));
    }

    /**
     * Whether a client on the WAN side gets its words echoed by the lab host's own {@code port},
     * routed through the gateway without any mapping (see {@link #routeClientToLab}).
     */
    public boolean clientReachesLabDirectly(int port) {
        return clientIsEchoedBy(LAB_HOST_ADDRESS, port);
    }

    /**
     * Lets the client route to the lab network through the gateway, and the gateway's
     * administrator forward it to the lab host's {@code port}: ordinary forwarding, no mapping.
     */
    public void routeClientToLab(int port) {
        network.exec(client, "ip", "route", "add", LAB_NETWORK, "via", WAN_ADDRESS);
        network.exec(gateway, "iptables", "-w", "-A", "FORWARD", "-d", LAB_HOST_ADDRESS, "-p", "tcp", "--dport",
                Integer.toString(port), "-m", "comment", "--comment", "admin-routed", "-j", "ACCEPT");
    }

    /** Opens a long-lived connection from the client through {@code WAN_ADDRESS:connPort}. */
    public TcpSession openSession(int connPort) {
        return new TcpSession(network.start(client, "socat", "-", "TCP:" + WAN_ADDRESS + ":" + connPort
                + ",connect-timeout=3"));
    }

    /** Packets the kernel counted on the gateway's rules whose line contains {@code text}, as iptables-save -c shows them. */
    public long packetsOfRules(String text) {
        return network.exec(gateway, "iptables-save", "-c").lines().filter(line -> line.startsWith("[") && line.contains(text))
                .mapToLong(line -> Long.parseLong(line.substring(1, line.indexOf(':')))).sum();
    }

    private boolean clientIsEchoedBy(String address, int port) {
        return echoed("TCP:" + address + ":" + port + ",connect-timeout=3");
    }

    private boolean echoed(String socatAddress) {
        // -t 2: after its input ends, socat waits that long for a udp answer
        List<String> command = List.of("ip", "netns", "exec", client, "socat", "-T", "3", "-t", "2", "-", socatAddress);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write("through the gateway\n".getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 && output.contains("through the gateway");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String iptablesSave() {
        return network.exec(gateway, iptables + "-save");
    }

    /** The agent's chains and jumps as the kernel holds them. */
    public ObservedRules agentRules() {
        return ObservedRules.parse(iptablesSave());
    }

    /** Runs a command in the gateway namespace, as an administrator at its shell would. */
    public String onGateway(String... command) {
        return network.exec(gateway, command);
    }

    @Override
    public void close() {
        network.close();
    }
}
