package org.vlab.ipam.health.targets;

import java.time.Clock;
import java.time.Duration;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.health.HealthWorkerProperties;
import org.vlab.ipam.health.publish.BrokerLink;
import org.vlab.ipam.messaging.IpamTopology;
import org.vlab.ipam.messaging.SnapshotClient;

/** The target book, the snapshot source it asks, and the worker's own queue of port-map events. */
@Configuration(proxyBeanMethods = false)
class TargetsConfiguration {

    /** The worker's queue, {@code ipam.health.<gateway>}: the name the deployment's permissions allow. */
    static final String QUEUE_EXPRESSION = "ipam.health.${ipam.gateway-id}";
    /** A healthy API answers in milliseconds; this only bounds one that stopped answering. */
    static final Duration SNAPSHOT_REPLY_TIMEOUT = Duration.ofSeconds(10);

    static String queueName(GatewayId gateway) {
        return "ipam.health." + gateway;
    }

    @Bean
    Declarables healthWorkerQueue(HealthWorkerProperties properties) {
        GatewayId gateway = properties.gatewayId();
        return IpamTopology.queue(queueName(gateway), Topology.EVENTS_EXCHANGE,
                Topology.gatewayRoutingKey(gateway, "portmap.applied"),
                Topology.gatewayRoutingKey(gateway, "portmap.removed"));
    }

    @Bean(destroyMethod = "close")
    SnapshotClient snapshotClient(HealthWorkerProperties properties, CachingConnectionFactory connectionFactory,
            Clock clock) {
        return new SnapshotClient(connectionFactory, properties.gatewayId(), "health-worker", clock,
                SNAPSHOT_REPLY_TIMEOUT);
    }

    @Bean
    TargetBook targetBook(SnapshotClient snapshots, HealthWorkerProperties properties,
            CachingConnectionFactory connectionFactory, BrokerLink link, Clock clock) {
        TargetBook book = new TargetBook(snapshots::request, clock, properties.snapshotRefresh(), link::downBecause);
        connectionFactory.addConnectionListener(new ConnectionListener() {
            @Override
            public void onCreate(Connection connection) {
                // Events routed before the worker's queue existed, or lost with a broker node,
                // are only in the snapshot.
                book.markStale("the broker connection was (re)established");
            }
        });
        return book;
    }
}
