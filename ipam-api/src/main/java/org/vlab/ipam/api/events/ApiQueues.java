package org.vlab.ipam.api.events;

import org.springframework.amqp.core.Declarables;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * The API's queues, shared by all its replicas (competing consumers): the events it turns
 * into Redis state, the snapshot requests it answers and, unless {@code ipam.usage.enabled} is
 * false, the log forwarders' batches it counts usage from (its own binding of the log exchange,
 * beside the central queue, which it never reads). All are quorum queues with a delivery limit
 * and a dead-letter queue.
 */
@Configuration(proxyBeanMethods = false)
class ApiQueues {

    @Bean
    Declarables apiEventsQueue() {
        return IpamTopology.queue(Topology.API_EVENTS_QUEUE, Topology.EVENTS_EXCHANGE,
                MessageType.PORTMAP_APPLIED.anyGatewayPattern(), MessageType.PORTMAP_FAILED.anyGatewayPattern(),
                MessageType.PORTMAP_REMOVED.anyGatewayPattern(), MessageType.GATEWAY_HEARTBEAT.anyGatewayPattern(),
                MessageType.REACHABILITY_OBSERVED.anyGatewayPattern());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "ipam.usage.enabled", matchIfMissing = true)
    Declarables apiUsageQueue() {
        return IpamTopology.queue(Topology.API_USAGE_QUEUE, Topology.LOGS_EXCHANGE,
                MessageType.FIREWALL_LOG_BATCH.anyGatewayPattern());
    }

    @Bean
    Declarables apiSnapshotQueue() {
        return IpamTopology.queue(Topology.API_SNAPSHOT_QUEUE, Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY);
    }
}
