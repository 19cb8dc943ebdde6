package org.vlab.ipam.messaging;

import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.vlab.ipam.events.Topology;

/**
 * The declarations every service shares. Queues are quorum queues with an explicit
 * {@code x-delivery-limit}: RabbitMQ 3.10 has no default limit and classic queues none at all,
 * so without it a message that always fails would be redelivered forever. A message over the
 * limit, or rejected as unreadable, goes through {@link Topology#DEAD_LETTER_EXCHANGE} to the
 * queue's own dead-letter queue.
 */
public final class IpamTopology {

    private IpamTopology() {
    }

    /** The three public topic exchanges and the dead-letter exchange, all durable. */
    public static Declarables exchanges() {
        return new Declarables(
                new TopicExchange(Topology.COMMANDS_EXCHANGE, true, false),
                new TopicExchange(Topology.EVENTS_EXCHANGE, true, false),
                new TopicExchange(Topology.LOGS_EXCHANGE, true, false),
                new DirectExchange(Topology.DEAD_LETTER_EXCHANGE, true, false));
    }

    /**
     * A durable quorum queue bound to {@code exchange} with each binding key, plus its
     * dead-letter queue.
     */
    public static Declarables queue(String name, String exchange, String... bindingKeys) {
        Queue queue = QueueBuilder.durable(name)
                .quorum()
                .deliveryLimit(Topology.DELIVERY_LIMIT)
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .deadLetterRoutingKey(name)
                .build();
        Queue deadLetters = QueueBuilder.durable(Topology.deadLetterQueue(name)).quorum().build();
        List<Declarable> declarables = new ArrayList<>(List.of(queue, deadLetters,
                new Binding(deadLetters.getName(), Binding.DestinationType.QUEUE, Topology.DEAD_LETTER_EXCHANGE,
                        name, null)));
        for (String key : bindingKeys) {
            declarables.add(BindingBuilder.bind(queue).to(new TopicExchange(exchange)).with(key));
        }
        return new Declarables(declarables);
    }

    /** Declares on the broker now, for code outside a Spring context (in which declarables beans suffice). */
    public static void declare(AmqpAdmin admin, Declarables declarables) {
        for (Declarable declarable : declarables.getDeclarables()) {
            if (declarable instanceof Exchange exchange) {
                admin.declareExchange(exchange);
            } else if (declarable instanceof Queue queue) {
                admin.declareQueue(queue);
            } else if (declarable instanceof Binding binding) {
                admin.declareBinding(binding);
            }
        }
    }
}
