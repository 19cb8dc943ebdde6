package org.vlab.ipam.logs.forward;

import java.time.Duration;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * The forwarder's own connection to the broker, limited to one channel. The broker keeps the
 * order of messages within a channel only; with several batches in flight, consecutive batches
 * sent on the shared connection's channels (which the health check and declarations also
 * borrow, so its cache holds more than one) could reach the queue out of order. Here the one
 * forwarding thread is the only user, so every batch goes on the same channel; a channel that
 * failed is replaced by the next send, and the forwarder sends nothing past a failed batch.
 */
final class PublishingChannel implements AutoCloseable {

    /** A healthy broker confirms in milliseconds; this only bounds a broker that stopped answering. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final CachingConnectionFactory connections;
    private final MessagePublisher publisher;

    /**
     * @param shared the application's connection factory, whose client settings (user, virtual
     *        host, heartbeat, TLS) this one shares
     * @param configurer Spring Boot's settings of a connection factory (addresses, confirms,
     *        returns), applied here as to the application's
     */
    PublishingChannel(CachingConnectionFactory shared, CachingConnectionFactoryConfigurer configurer, String appId) {
        connections = new CachingConnectionFactory(shared.getRabbitConnectionFactory());
        configurer.configure(connections);
        // only the forwarding thread publishes here, one batch after the other: it takes the one
        // cached channel and returns it before the next send, so a second channel is never opened
        connections.setChannelCacheSize(1);
        connections.setConnectionNameStrategy(factory -> appId + "-publishing");
        publisher = new ConfirmingPublisher(connections, appId, CONFIRM_TIMEOUT);
    }

    MessagePublisher publisher() {
        return publisher;
    }

    @Override
    public void close() {
        connections.destroy();
    }
}
