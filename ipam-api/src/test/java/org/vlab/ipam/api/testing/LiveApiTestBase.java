package org.vlab.ipam.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;

/**
 * The API on a random port against the real Redis and RabbitMQ, as the vLab client sees it.
 * Subclasses share one application context (add {@code @TestPropertySource} for another);
 * each test uses gateway ids of its own, so they never see each other's records.
 */
@WithIpamServices
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ipam.redis-key-prefix=${ipam.test.redis-key-prefix}", "ipam.vlab-url=https://vlab.test",
        "ipam.apply-wait=2s", "ipam.republish-after=2s", "ipam.rate-limit.enabled=false"})
public abstract class LiveApiTestBase {

    public static final String VLAB_URL = "https://vlab.test";
    public static final TestTokens TOKENS = TestTokens.generate(VLAB_URL);

    @DynamicPropertySource
    static void verificationKey(DynamicPropertyRegistry registry) {
        registry.add("ipam.auth.public-key", TOKENS::publicKeyPem);
    }

    @LocalServerPort
    protected int port;
    /** Actuator's port, separate from the API's {@link #port}. */
    @LocalManagementPort
    protected int managementPort;
    @Autowired
    protected TestVhost vhost;
    @Autowired
    protected TestRedis redis;

    protected ApiClient api;
    private final List<FakeAgent> agents = new ArrayList<>();

    @BeforeEach
    void client() {
        api = new ApiClient(port, TOKENS);
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(FakeAgent::close);
    }

    protected FakeAgent agent(String gateway) {
        FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway);
        agents.add(agent);
        return agent;
    }

    /** Any request, as bytes with any content type (null: no body); {@code user} null sends no token. */
    protected Answer raw(HttpMethod method, String pathAndQuery, String user, MediaType contentType, byte[] body,
            Map<String, String> headers) {
        var request = api.http().method(method).uri(pathAndQuery);
        if (user != null) {
            request.header("X-Auth", api.token(user));
        }
        headers.forEach(request::header);
        if (contentType != null) {
            request.contentType(contentType);
        }
        var result = (body == null ? request : request.bodyValue(body)).exchange()
                .expectBody(JsonNode.class).returnResult();
        return new Answer(result.getStatus().value(), result.getResponseBody(), result.getResponseHeaders());
    }

    protected Answer rawJson(HttpMethod method, String user, String json) {
        return raw(method, "/api/1/ipam/portmap", user, MediaType.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    /** Every Redis key carrying the gateway's hash tag. */
    protected List<String> keysOf(String gateway) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.commands().scan(cursor,
                    ScanArgs.Builder.matches(redis.keyPrefix() + "{" + gateway + "}:*").limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    protected void assertNothingWritten(String gateway) {
        assertThat(keysOf(gateway)).as("Redis keys of gateway %s", gateway).isEmpty();
        assertThat(redis.commands().sismember(redis.keyPrefix() + "gateways", gateway))
                .as("gateway %s registered", gateway).isFalse();
    }

    /**
     * Creates a mapping to {@code addr} and waits for the agent's confirmation. The agent's queue
     * is first in, first out, so every command published for the gateway before this one has
     * reached the agent by then; returns those earlier commands.
     */
    protected List<PortMapRequested> commandsBefore(String gateway, FakeAgent agent, String addr) {
        Answer barrier = api.post(gateway, target(addr, 9, "barrier", "Barrier"));
        assertThat(barrier.status()).as("barrier create: %s", barrier.body()).isEqualTo(200);
        int connPort = barrier.content().get("conn_port").asInt();
        List<PortMapRequested> received = agent.received();
        assertThat(received).last().satisfies(command -> assertThat(command.connPort().value()).isEqualTo(connPort));
        return received.subList(0, received.size() - 1);
    }

    protected List<PortMapRequested> commandsBefore(String gateway, FakeAgent agent) {
        return commandsBefore(gateway, agent, "192.168.1.250");
    }

    public static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
