package org.vlab.ipam.system.extensions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vlab.ipam.system.Checkout;
import org.vlab.ipam.system.GatewayNetwork;
import org.vlab.ipam.testsupport.FreePort;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestServices;
import org.vlab.ipam.testsupport.TestVhost;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One deployment of real jars for the port-map extension tests, set up as an operator would, by
 * environment variables: the API on this host against the local Redis and RabbitMQ (its own key
 * prefix and vhost), leases swept every 200 ms, the default 10-minute cool-down; the agent and the
 * log forwarder in the gateway of {@link TwoClientGateway}, each as its own RabbitMQ user, which
 * the API checks ({@code IPAM_EVENT_PUBLISHERS}, {@code IPAM_USAGE_PUBLISHERS}). The range is ten
 * ports, so a port's reuse is seen within a few creates. REST calls are the gateway owner's.
 */
final class ExtensionsDeployment implements AutoCloseable {

    static final int PORT_MIN = 50000;
    static final int PORT_MAX = 50009;
    private static final String ISSUER = "https://localhost";
    private static final String DEV_SECRET = "port-map-extensions-secret-of-32-bytes-or-more";
    private static final Duration START = Duration.ofSeconds(180);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An answer of the API: its status and the envelope's {@code content}. */
    record Answer(int status, JsonNode content) {
        int connPort() {
            return content.path("conn_port").asInt(-1);
        }
    }

    private final TestVhost vhost;
    private final TestRedis redis;
    private final String gatewayId = TestRedis.uniqueName("xgw");
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    TwoClientGateway gateway;
    private URI portmap;
    private String token;

    private ExtensionsDeployment(TestServices services) {
        vhost = services.rabbit().newVhost("port-map-extensions");
        redis = services.redis().newKeyspace();
    }

    /** Builds the network and starts the services; whatever was made is removed again when a step fails. */
    static ExtensionsDeployment start() {
        ExtensionsDeployment deployment = new ExtensionsDeployment(TestServices.get());
        try {
            deployment.startServices();
        } catch (RuntimeException e) {
            deployment.close();
            throw e;
        }
        return deployment;
    }

    private void startServices() {
        gateway = new TwoClientGateway(vhost.endpoint().amqpPort());
        Map<String, String> api = new HashMap<>(common());
        api.putAll(Map.of("IPAM_AUTH_DEV_SECRET", DEV_SECRET, "VLAB_URL", ISSUER, "IPAM_APPLY_WAIT", "20s",
                "IPAM_LAN_CIDRS", GatewayNetwork.LAB_NETWORK, "IPAM_LEASE_SWEEP_INTERVAL", "200ms",
                "IPAM_EVENT_PUBLISHERS", "firewall-agent-{gateway}", "IPAM_SNAPSHOT_REQUESTERS", "firewall-agent-{gateway}",
                "IPAM_USAGE_PUBLISHERS", "log-forwarder-{gateway}"));
        List<String> arguments = new ArrayList<>(ServiceProcess.serviceArguments(vhost, redis));
        arguments.addAll(List.of("--ipam.redis-key-prefix=" + redis.keyPrefix(), "--ipam.rate-limit.enabled=false"));
        int apiPort = FreePort.next();
        services.add(ServiceProcess.start(List.of(), "127.0.0.1", Checkout.jar("ipam-api"), apiPort, arguments, api));
        Path logState = Checkout.temporaryDirectory("port-map-extensions-state-");
        services.add(startInGateway("firewall-agent", Map.of("IPAM_WAN_INTERFACE", "wan",
                "IPAM_LAN_CIDRS", GatewayNetwork.LAB_NETWORK, "IPAM_HEARTBEAT_PERIOD", "1s")));
        services.add(startInGateway("log-forwarder", Map.of("IPAM_LOG_FILE", gateway.firewallLog.toString(),
                "IPAM_LOG_STATE_DIR", logState.toString(), "IPAM_BATCH_LINGER", "200ms")));
        services.forEach(service -> service.awaitHealthy(START));
        portmap = URI.create("http://127.0.0.1:" + apiPort + "/api/1/ipam/portmap");
        token = Checkout.devToken(gatewayId, ISSUER, DEV_SECRET);
    }

    private Map<String, String> common() {
        return Map.of("VLAB_PORT_MIN", Integer.toString(PORT_MIN), "VLAB_PORT_MAX", Integer.toString(PORT_MAX),
                "JAVA_TOOL_OPTIONS", "-Xmx384m");
    }

    /** Starts {@code module}'s jar in the gateway as its own RabbitMQ user {@code <module>-<gateway>}, full rights on the vhost. */
    private ServiceProcess startInGateway(String module, Map<String, String> settings) {
        String user = module + "-" + gatewayId;
        vhost.endpoint().management().createUser(user, user);
        users.add(user);
        vhost.endpoint().management().setPermissions(vhost.name(), user, ".*", ".*", ".*");
        Map<String, String> environment = new HashMap<>(common());
        environment.putAll(settings);
        environment.putAll(Map.of("IPAM_GATEWAY_ID", gatewayId, "SPRING_RABBITMQ_HOST", gateway.brokerHost(),
                "SPRING_RABBITMQ_PORT", Integer.toString(vhost.endpoint().amqpPort()), "SPRING_RABBITMQ_USERNAME", user,
                "SPRING_RABBITMQ_PASSWORD", user, "SPRING_RABBITMQ_VIRTUAL_HOST", vhost.name()));
        return gateway.start(Checkout.jar(module), environment);
    }

    /** POST /portmap with {@code fields} (JSON members, such as {@code "expires_in": 60}) to the lab host's {@code labPort}. */
    Answer create(int labPort, String name, String fields) {
        String body = "{\"target_addr\":\"" + GatewayNetwork.LAB_HOST + "\",\"target_port\":" + labPort
                + ",\"target_name\":\"" + name + "\",\"target_component\":\"Linux\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
        return send(request(portmap).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The gateway's mappings by connection port, as GET /portmap lists them. */
    Map<Integer, JsonNode> mappings() {
        Answer answer = send(request(portmap).GET().build());
        if (answer.status() != 200) {
            throw new IllegalStateException("GET answered " + answer);
        }
        Map<Integer, JsonNode> ports = new TreeMap<>();
        answer.content().path("ports").properties().forEach(entry -> ports.put(Integer.parseInt(entry.getKey()), entry.getValue()));
        return ports;
    }

    /** DELETE /portmap of {@code port}; answers 200 once the agent removed the rules. */
    Answer delete(int port) {
        return send(request(portmap).method("DELETE", HttpRequest.BodyPublishers.ofString("{\"conn_port\":" + port + "}"))
                .build());
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("X-Auth", token)
                .header("Content-Type", "application/json");
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body.has("content") ? body.get("content") : body);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::close);
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            try {
                users.forEach(user -> vhost.endpoint().management().deleteUser(user));
            } finally {
                vhost.close();
                redis.close();
            }
        }
    }
}
