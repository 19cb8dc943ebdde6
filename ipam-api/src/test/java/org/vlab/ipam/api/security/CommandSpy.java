package org.vlab.ipam.api.security;

import java.util.UUID;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.vlab.ipam.events.Topology;

/**
 * A queue bound to {@code vlab.ipam.commands} for every gateway's commands
 * ({@code gateway.#}), so a test can count what the API sent to any agent.
 */
final class CommandSpy implements AutoCloseable {

    private final RabbitAdmin admin;
    private final Queue queue = new AnonymousQueue(() -> "security-spy." + UUID.randomUUID());

    CommandSpy(ConnectionFactory connectionFactory) {
        this.admin = new RabbitAdmin(connectionFactory);
        TopicExchange commands = new TopicExchange(Topology.COMMANDS_EXCHANGE);
        admin.declareExchange(commands);
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(commands).with("gateway.#"));
    }

    /** Commands that reached the spy so far. */
    long commands() {
        return messages(queue.getName());
    }

    /** Messages waiting in any queue of the vhost, such as an agent's. */
    long messages(String queueName) {
        var info = admin.getQueueInfo(queueName);
        return info == null ? 0 : info.getMessageCount();
    }

    @Override
    public void close() {
        admin.deleteQueue(queue.getName());
    }

}
