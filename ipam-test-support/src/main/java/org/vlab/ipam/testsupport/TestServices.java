package org.vlab.ipam.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The RabbitMQ and Redis every integration test of the JVM shares, found once: containers
 * started by Testcontainers when a Docker engine is available, the local services otherwise.
 * {@code IPAM_TEST_SERVICES=local|containers} forces one; {@code IPAM_TEST_RABBITMQ_HOST},
 * {@code IPAM_TEST_RABBITMQ_PORT}, {@code IPAM_TEST_RABBITMQ_MANAGEMENT_PORT},
 * {@code IPAM_TEST_RABBITMQ_USERNAME}, {@code IPAM_TEST_RABBITMQ_PASSWORD},
 * {@code IPAM_TEST_REDIS_HOST} and {@code IPAM_TEST_REDIS_PORT} point at other local services.
 * Tests isolate themselves with their own vhost and Redis key prefix.
 */
public final class TestServices {

    private static final String RABBITMQ_IMAGE = "rabbitmq:4.1-management";
    private static final String REDIS_IMAGE = "redis:7.4";

    private static TestServices shared;

    private final RabbitEndpoint rabbit;
    private final RedisEndpoint redis;
    private final String origin;

    private TestServices(RabbitEndpoint rabbit, RedisEndpoint redis, String origin) {
        this.rabbit = rabbit;
        this.redis = redis;
        this.origin = origin;
    }

    public static synchronized TestServices get() {
        if (shared == null) {
            shared = find(System::getenv, TestServices::dockerAvailable);
            System.out.println("[test-services] using " + shared.origin + ": RabbitMQ " + shared.rabbit
                    + ", Redis " + shared.redis);
        }
        return shared;
    }

    public RabbitEndpoint rabbit() {
        return rabbit;
    }

    public RedisEndpoint redis() {
        return redis;
    }

    static TestServices find(Function<String, String> environment, BooleanSupplier docker) {
        String mode = setting(environment, "IPAM_TEST_SERVICES", "auto").toLowerCase(Locale.ROOT);
        if (!mode.equals("local") && docker.getAsBoolean()) {
            return containers();
        }
        if (mode.equals("containers")) {
            throw new IllegalStateException("IPAM_TEST_SERVICES=containers, but no Docker engine is available");
        }
        Function<String, String> env = name -> setting(environment, "IPAM_TEST_" + name, null);
        RabbitEndpoint rabbit = new RabbitEndpoint(env.apply("RABBITMQ_HOST"),
                Integer.parseInt(env.apply("RABBITMQ_PORT")), Integer.parseInt(env.apply("RABBITMQ_MANAGEMENT_PORT")),
                env.apply("RABBITMQ_USERNAME"), env.apply("RABBITMQ_PASSWORD"));
        RedisEndpoint redis = new RedisEndpoint(env.apply("REDIS_HOST"), Integer.parseInt(env.apply("REDIS_PORT")));
        StringBuilder missing = new StringBuilder();
        if (!reachable(rabbit.host(), rabbit.amqpPort())) {
            missing.append(" RabbitMQ at ").append(rabbit.host()).append(':').append(rabbit.amqpPort()).append(';');
        } else if (!reachable(rabbit.host(), rabbit.managementPort())) {
            missing.append(" RabbitMQ's management API at ").append(rabbit.host()).append(':')
                    .append(rabbit.managementPort()).append(" (enable it: rabbitmq-plugins enable rabbitmq_management);");
        }
        if (!reachable(redis.host(), redis.port())) {
            missing.append(" Redis at ").append(redis.host()).append(':').append(redis.port()).append(';');
        }
        if (missing.length() > 0) {
            throw new IllegalStateException("Integration tests need RabbitMQ (with its management plugin) and Redis. "
                    + "No Docker engine is available for Testcontainers, and these local services are not reachable:"
                    + missing + " either start a Docker engine, or start the local services (bash .ci/services "
                    + "does it as root) and, if they are elsewhere, set IPAM_TEST_RABBITMQ_HOST/_PORT/"
                    + "_MANAGEMENT_PORT/_USERNAME/_PASSWORD and IPAM_TEST_REDIS_HOST/_PORT.");
        }
        return new TestServices(rabbit, redis, "local services");
    }

    private static final Map<String, String> LOCAL_DEFAULTS = Map.of(
            "IPAM_TEST_RABBITMQ_HOST", "127.0.0.1", "IPAM_TEST_RABBITMQ_PORT", "5672",
            "IPAM_TEST_RABBITMQ_MANAGEMENT_PORT", "15672", "IPAM_TEST_RABBITMQ_USERNAME", "guest",
            "IPAM_TEST_RABBITMQ_PASSWORD", "guest", "IPAM_TEST_REDIS_HOST", "127.0.0.1", "IPAM_TEST_REDIS_PORT", "6379");

    /** The environment's value, else the given fallback, else the local services' default. */
    private static String setting(Function<String, String> environment, String name, String fallback) {
        String value = environment.apply(name);
        if (value != null && !value.isBlank()) {
            return value;
        }
        return fallback != null ? fallback : LOCAL_DEFAULTS.get(name);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // the containers live as long as the JVM; Testcontainers' reaper removes them
    private static TestServices containers() {
        RabbitMQContainer rabbitContainer = new RabbitMQContainer(DockerImageName.parse(RABBITMQ_IMAGE));
        GenericContainer<?> redisContainer = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
                .withExposedPorts(6379);
        rabbitContainer.start();
        redisContainer.start();
        return new TestServices(
                new RabbitEndpoint(rabbitContainer.getHost(), rabbitContainer.getAmqpPort(),
                        rabbitContainer.getMappedPort(15672), rabbitContainer.getAdminUsername(),
                        rabbitContainer.getAdminPassword()),
                new RedisEndpoint(redisContainer.getHost(), redisContainer.getMappedPort(6379)),
                "Testcontainers");
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
