package org.vlab.ipam.health.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.testsupport.FreePort;
import org.vlab.ipam.testsupport.NetworkLab;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestVhost;
import tools.jackson.databind.json.JsonMapper;

/**
 * The health worker's jar in a gateway namespace of its own, as on a real gateway: its lab
 * host {@value #LAB_HOST} (a TCP server on {@value #LAB_PORT}) behind a veth, and the broker
 * (which listens on the host's loopback) reached through a socat relay on a veth address of
 * the host. Faults are made inside the gateway namespace only, never in the host's firewall:
 * {@link #blackHoleBroker()} drops every packet to and from the relay, {@link #firewallLabHost()}
 * makes the gateway's own OUTPUT chain drop what it sends to the lab host (sendto: EPERM).
 */
public final class WorkerInNamespace implements AutoCloseable {

    public static final String LAB_HOST = "192.168.77.10";
    public static final int LAB_PORT = 8080;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LAST_CYCLE = Pattern.compile("^ipam_health_cycle_last_finished_seconds\\S* (\\S+)$",
            Pattern.MULTILINE);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final NetworkLab lab = new NetworkLab();
    private final TestVhost vhost;
    private final String gateway;
    private final String gatewayAddress;
    private final String relayAddress;
    private final int relayPort;
    private ServiceProcess worker;

    public WorkerInNamespace(TestVhost vhost) {
        this.vhost = vhost;
        try {
            gateway = lab.namespace("hwgw");
            String labHost = lab.namespace("hwlab");
            lab.link(gateway, "192.168.77.1/24", labHost, LAB_HOST + "/24");
            lab.start(labHost, "socat", "TCP-LISTEN:" + LAB_PORT + ",reuseaddr,fork", "SYSTEM:echo hello");
            // a random /30 of 100.64.0.0/10 for the host link, so parallel runs do not collide
            int base = 4 * ThreadLocalRandom.current().nextInt(1 << 14);
            String prefix = "100." + (64 + (base >> 16)) + "." + ((base >> 8) & 0xff) + ".";
            relayAddress = prefix + ((base & 0xff) + 1);
            gatewayAddress = prefix + ((base & 0xff) + 2);
            lab.connectToHost(gateway, gatewayAddress + "/30", relayAddress + "/30");
            relayPort = FreePort.next();
            lab.startOnHost("socat", "TCP-LISTEN:" + relayPort + ",bind=" + relayAddress + ",reuseaddr,fork",
                    "TCP:" + vhost.endpoint().host() + ":" + vhost.endpoint().amqpPort());
            await("relay to RabbitMQ").atMost(Duration.ofSeconds(10)).until(() -> lab.exec(gateway, "bash", "-c",
                    "exec 3<>/dev/tcp/" + relayAddress + "/" + relayPort + " && echo open || true").contains("open"));
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Starts the worker jar in the gateway namespace with the given environment (IPAM_* variables). */
    public ServiceProcess start(GatewayId id, Map<String, String> environment) {
        Map<String, String> all = new HashMap<>(environment);
        all.put("IPAM_GATEWAY_ID", id.value());
        worker = ServiceProcess.start(List.of("ip", "netns", "exec", gateway), gatewayAddress,
                ServiceProcess.serviceJar(), List.of("--spring.rabbitmq.host=" + relayAddress,
                        "--spring.rabbitmq.port=" + relayPort, "--spring.rabbitmq.username=" + vhost.endpoint().username(),
                        "--spring.rabbitmq.password=" + vhost.endpoint().password(),
                        "--spring.rabbitmq.virtual-host=" + vhost.name()), all);
        // generous: a JVM starting on a loaded 2-core machine can take over a minute
        return worker.awaitHealthy(Duration.ofSeconds(180));
    }

    /** Drops every packet between the worker and the broker relay, inside the gateway namespace. */
    public void blackHoleBroker() {
        lab.exec(gateway, "iptables", "-w", "-I", "OUTPUT", "-d", relayAddress, "-p", "tcp", "--dport",
                Integer.toString(relayPort), "-j", "DROP");
        lab.exec(gateway, "iptables", "-w", "-I", "INPUT", "-s", relayAddress, "-p", "tcp", "--sport",
                Integer.toString(relayPort), "-j", "DROP");
    }

    public void restoreBroker() {
        lab.exec(gateway, "iptables", "-w", "-D", "OUTPUT", "-d", relayAddress, "-p", "tcp", "--dport",
                Integer.toString(relayPort), "-j", "DROP");
        lab.exec(gateway, "iptables", "-w", "-D", "INPUT", "-s", relayAddress, "-p", "tcp", "--sport",
                Integer.toString(relayPort), "-j", "DROP");
    }

    /** The gateway's own firewall drops what it sends to the lab host: the kernel refuses fping's sends (EPERM). */
    public void firewallLabHost() {
        lab.exec(gateway, "iptables", "-w", "-I", "OUTPUT", "-d", LAB_HOST, "-j", "DROP");
    }

    public void unfirewallLabHost() {
        lab.exec(gateway, "iptables", "-w", "-D", "OUTPUT", "-d", LAB_HOST, "-j", "DROP");
    }

    /** The worker's {@code /actuator/health/liveness} status, or null when it does not answer. */
    public String liveness() {
        String body = get("/actuator/health/liveness");
        return body == null ? null : JSON.readTree(body).path("status").asString(null);
    }

    /** When the worker's last probe cycle finished (Unix seconds, from its metrics), or NaN. */
    public double lastFinishedCycle() {
        String body = get("/actuator/prometheus");
        Matcher matcher = body == null ? null : LAST_CYCLE.matcher(body);
        return matcher != null && matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    private String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + gatewayAddress + ":"
                    + worker.port() + path)).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        lab.close();
    }
}
