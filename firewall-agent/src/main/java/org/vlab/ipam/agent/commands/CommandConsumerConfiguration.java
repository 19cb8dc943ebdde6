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
 * The gateway's command queue and its consumer: one consumer thread that hands each command to
 * the ledger as it arrives (no batch is waited for), manual acknowledgements after the answer,
 * and one thread that publishes answers. The consumer starts only once the first snapshot told
 * the agent the whole desired state; until then commands wait in the queue.
 */
@Configuration(proxyBeanMethods = false)
class CommandConsumerConfiguration {

    /**
     * Commands delivered and not yet acknowledged at most: those waiting for a sync or for their
     * answer's confirm. Everything that arrives while a sync runs joins the next one, so this
     * also bounds one transaction's commands.
     */
    static final int PREFETCH = 500;

    @Bean
    Declarables agentCommandQueue(AgentProperties properties) {
        return IpamTopology.queue(Topology.agentQueue(properties.gatewayId()), Topology.COMMANDS_EXCHANGE,
                Topology.gatewayRoutingKey(properties.gatewayId(), "portmap"));
    }

    @Bean(destroyMethod = "close")
    AnsweringThread commandAnswering() {
        return new AnsweringThread();
    }

    @Bean
    SimpleMessageListenerContainer agentCommandConsumer(ConnectionFactory connectionFactory, AgentProperties properties,
            PortLedger ledger, TargetPolicy policy, SyncLoop loop, AnswerPublisher answers, Clock clock,
            AnsweringThread commandAnswering) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.agentQueue(properties.gatewayId()));
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConcurrentConsumers(1);
        // one message per listener call: a batch would wait for its next message (the receive timeout) first
        container.setBatchSize(1);
        container.setPrefetchCount(PREFETCH);
        container.setMissingQueuesFatal(false);
        container.setAutoStartup(false);
        container.setMessageListener(new CommandListener(properties.gatewayId(), properties.commandPublishers(), ledger,
                policy, loop, answers, clock, commandAnswering.executor()));
        return container;
    }
}
