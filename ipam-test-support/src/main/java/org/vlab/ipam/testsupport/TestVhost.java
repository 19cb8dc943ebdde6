package org.vlab.ipam.testsupport;

import java.util.Map;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * A RabbitMQ virtual host only one test class (or one Spring context) uses, so fixed
 * names such as {@code vlab.ipam.events} can be declared freely. Closing deletes it with
 * everything in it.
 */
public final class TestVhost implements AutoCloseable {

    private final RabbitEndpoint endpoint;
    private final String name;
    private CachingConnectionFactory connectionFactory;

    TestVhost(RabbitEndpoint endpoint, String name) {
        this.endpoint = endpoint;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public RabbitEndpoint endpoint() {
        return endpoint;
    }

    /** A connection factory into this vhost with publisher confirms and returns, as the services use. */
    public synchronized CachingConnectionFactory connectionFactory() {
        if (connectionFactory == null) {
            connectionFactory = newConnectionFactory(endpoint.username(), endpoint.password());
        }
        return connectionFactory;
    }

    /** A new connection factory into this vhost as another user (for permission tests); the caller destroys it. */
    public CachingConnectionFactory newConnectionFactory(String username, String password) {
        CachingConnectionFactory factory = new CachingConnectionFactory(endpoint.host(), endpoint.amqpPort());
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(name);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        return factory;
    }

    public Map<String, String> springProperties() {
        return Map.of("spring.rabbitmq.host", endpoint.host(), "spring.rabbitmq.port",
                Integer.toString(endpoint.amqpPort()), "spring.rabbitmq.username", endpoint.username(),
                "spring.rabbitmq.password", endpoint.password(), "spring.rabbitmq.virtual-host", name);
    }

    @Override
    public synchronized void close() {
        if (connectionFactory != null) {
            connectionFactory.destroy();
        }
        endpoint.management().deleteVhost(name);
    }
}
