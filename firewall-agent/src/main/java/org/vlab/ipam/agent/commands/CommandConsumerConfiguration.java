package org.vlab.ipam.agent.commands;

import java.time.Clock;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.agent.AgentProperties;
import org.vlab.ipam.agent.reconcile.AnswerPublisher;
import org.vlab.ipam.agent.reconcile.PortLedger;
import org.vlab.ipam.agent.reconcile.SyncLoop;
import org.vlab.ipam.agent.reconcile.TargetPolicy;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * The gateway's command queue and its consumer: one consumer thread, manual acknowledgements,
 * batches of whatever arrived together. The consumer starts only once the first snapshot told
 * the agent the whole desired state; until then commands wait in the queue.
 */
@Configuration(proxyBeanMethods = false)
class CommandConsumerConfiguration {

    /** Commands handled in one transaction at most. */
    static final int BATCH_SIZE = 100;
    /** How long a batch waits for one more command before it is handled. */
    static final long RECEIVE_TIMEOUT_MILLIS = 50;
    /** How long a batch may wait to fill up at most. */
    static final long BATCH_TIMEOUT_MILLIS = 500;

    @Bean
    Declarables agentCommandQueue(AgentProperties properties) {
        return IpamTopology.queue(Topology.agentQueue(properties.gatewayId()), Topology.COMMANDS_EXCHANGE,
                Topology.gatewayRoutingKey(properties.gatewayId(), "portmap"));
    }

    @Bean
    SimpleMessageListenerContainer agentCommandConsumer(ConnectionFactory connectionFactory, AgentProperties properties,
            PortLedger ledger, TargetPolicy policy, SyncLoop loop, AnswerPublisher answers, Clock clock) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.agentQueue(properties.gatewayId()));
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConcurrentConsumers(1);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(BATCH_SIZE);
        container.setPrefetchCount(2 * BATCH_SIZE);
        container.setReceiveTimeout(RECEIVE_TIMEOUT_MILLIS);
        container.setBatchReceiveTimeout(BATCH_TIMEOUT_MILLIS);
        container.setMissingQueuesFatal(false);
        container.setAutoStartup(false);
        container.setMessageListener(new CommandBatchListener(properties.gatewayId(), ledger, policy, loop, answers,
                clock));
        return container;
    }
}
