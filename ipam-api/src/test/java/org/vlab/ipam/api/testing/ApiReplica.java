package org.vlab.ipam.api.testing;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.vlab.ipam.api.IpamApiApplication;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * One API instance in this JVM, started by hand so a test can run several against the same
 * vhost and Redis keyspace (replicas), or point one at a dead service.
 */
public final class ApiReplica implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ApiReplica(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Against the test vhost and keyspace, verifying tokens of {@code tokens}; {@code extra} overrides anything. */
    public static ApiReplica start(TestVhost vhost, TestRedis redis, TestTokens tokens, Map<String, String> extra) {
        Map<String, Object> services = new HashMap<>();
        services.putAll(vhost.springProperties());
        services.putAll(redis.springProperties());
        return start(services, redis.keyPrefix(), tokens, extra);
    }

    /**
     * Against the services {@code services} names (Spring properties such as
     * {@code spring.data.redis.cluster.nodes}), under the Redis key prefix {@code keyPrefix}.
     */
    public static ApiReplica start(Map<String, Object> services, String keyPrefix, TestTokens tokens,
            Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>(services);
        properties.put("ipam.redis-key-prefix", keyPrefix);
        properties.put("ipam.vlab-url", tokens.issuer());
        properties.put("ipam.auth.public-key", tokens.publicKeyPem());
        properties.put("ipam.rate-limit.enabled", "false");
        properties.put("server.port", "0");
        properties.put("management.server.port", "0"); // Actuator on a port of its own, as in production
        properties.putAll(extra);
        // As command-line arguments: they outrank application.yaml, as an operator's settings do.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(IpamApiApplication.class).run(args);
        return new ApiReplica(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
