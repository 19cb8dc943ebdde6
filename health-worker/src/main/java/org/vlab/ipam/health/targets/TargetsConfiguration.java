package org.vlab.ipam.health.targets;

import java.time.Clock;
import java.time.Duration;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.health.HealthWorkerProperties;
import org.vlab.ipam.health.publish.BrokerLink;
import org.vlab.ipam.messaging.SnapshotClient;

/** The target book and the snapshot source it asks before every cycle. */
@Configuration(proxyBeanMethods = false)
class TargetsConfiguration {

    /**
     * How long a cycle waits for its snapshot before it probes the addresses it knew: a healthy
     * API answers in milliseconds, and the cycle keeps its period when the broker swallows packets.
     */
    static final Duration SNAPSHOT_WAIT = Duration.ofMillis(500);

    /** A healthy API answers in milliseconds; this only bounds one that stopped answering. */
    static final Duration SNAPSHOT_REPLY_TIMEOUT = Duration.ofSeconds(10);

    @Bean(destroyMethod = "close")
    SnapshotClient snapshotClient(HealthWorkerProperties properties, CachingConnectionFactory connectionFactory,
            Clock clock) {
        return new SnapshotClient(connectionFactory, properties.gatewayId(), "health-worker", clock,
                SNAPSHOT_REPLY_TIMEOUT);
    }

    @Bean(destroyMethod = "close")
    TargetBook targetBook(SnapshotClient snapshots, BrokerLink link) {
        return new TargetBook(snapshots::request, link::downBecause, SNAPSHOT_WAIT);
    }
}
