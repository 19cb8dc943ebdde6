package org.vlab.ipam.bench.fleet;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** Where the broker is and whom to connect as: one virtual host a benchmark run owns. */
public record BrokerAddress(String host, int port, String virtualHost, String username, String password) {

    public BrokerAddress {
        if (host == null || host.isBlank() || virtualHost == null || virtualHost.isBlank()) {
            throw new IllegalArgumentException("the broker needs a host and a virtual host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("broker port must be 1-65535; got " + port);
        }
    }

    /** A connection factory with publisher confirms and returns, as {@code ConfirmingPublisher} needs. */
    public CachingConnectionFactory confirmingConnectionFactory(String connectionName) {
        CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        factory.setConnectionNameStrategy(unused -> connectionName);
        // A broker still starting a thousand quorum queues answers a handshake slowly.
        factory.setConnectionTimeout(60_000);
        factory.getRabbitConnectionFactory().setHandshakeTimeout(60_000);
        return factory;
    }

    @Override
    public String toString() {
        return username + "@" + host + ":" + port + "/" + virtualHost;
    }
}
