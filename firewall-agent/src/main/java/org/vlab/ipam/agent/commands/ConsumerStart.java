package org.vlab.ipam.agent.commands;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.agent.reconcile.DesiredStateKnown;

/** Starts consuming commands once the agent knows its whole desired state. */
@Component
class ConsumerStart {

    private static final Logger log = LoggerFactory.getLogger(ConsumerStart.class);

    private final SimpleMessageListenerContainer consumer;

    ConsumerStart(@Qualifier("agentCommandConsumer") SimpleMessageListenerContainer consumer) {
        this.consumer = consumer;
    }

    @EventListener
    void desiredStateKnown(DesiredStateKnown event) {
        if (!consumer.isRunning()) {
            log.info("desired state known (snapshot generation {}); consuming commands from {}",
                    event.snapshotGeneration(), String.join(",", consumer.getQueueNames()));
            consumer.start();
        }
    }
}
