package org.vlab.ipam.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Actuator of a service started by {@code @SpringBootTest(webEnvironment = RANDOM_PORT)}, read
 * on its management port. A test class annotated {@code @ExtendWith(ActuatorClient.Resolver.class)}
 * receives one as a constructor or method parameter.
 */
public final class ActuatorClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int managementPort;
    private final int serverPort;

    private ActuatorClient(int managementPort, int serverPort) {
        this.managementPort = managementPort;
        this.serverPort = serverPort;
    }

    public static ActuatorClient on(int managementPort, int serverPort) {
        return new ActuatorClient(managementPort, serverPort);
    }

    /** The service's application port, where Actuator must not answer. */
    public int applicationPort() {
        return serverPort;
    }

    /** The body of {@code path} on the management port, which must answer 200. */
    public String get(String path) {
        HttpResponse<String> response = send(managementPort, path);
        assertEquals(200, response.statusCode(), "GET " + path + " on the management port");
        return response.body();
    }

    public JsonNode json(String path) {
        return JSON.readTree(get(path));
    }

    /** Asserts that Actuator answers on the management port only: 404 for every {@code /actuator} path on the other. */
    public void assertOnlyOnManagementPort() {
        assertNotEquals(managementPort, serverPort, "the management port is the application port");
        for (String path : new String[] {"/actuator", "/actuator/health", "/actuator/health/liveness", "/actuator/info",
                "/actuator/prometheus"}) {
            assertEquals(404, send(serverPort, path).statusCode(), "GET " + path + " on the application port");
        }
        assertEquals("UP", json("/actuator/health").path("status").asString());
    }

    private static HttpResponse<String> send(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Gives an {@link ActuatorClient} parameter the ports of the Spring test context's servers. */
    public static final class Resolver implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ActuatorClient.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Environment environment = SpringExtension.getApplicationContext(context).getEnvironment();
            return on(environment.getRequiredProperty("local.management.port", Integer.class),
                    environment.getRequiredProperty("local.server.port", Integer.class));
        }
    }
}
