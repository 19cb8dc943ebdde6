package org.vlab.ipam.api.events;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * The API's two queues, shared by all its replicas (competing consumers): the events it turns
 * into Redis state, and the snapshot requests it answers. Both are quorum queues with a
 * delivery limit and a dead-letter queue.
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
    Declarables apiSnapshotQueue() {
        return IpamTopology.queue(Topology.API_SNAPSHOT_QUEUE, Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY);
    }
}
