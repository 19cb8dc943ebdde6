package org.vlab.ipam.health.targets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitHandler;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapRemoved;

/**
 * The agent's applied/removed events of this gateway, from the worker's own queue. They carry
 * no target address, so each one only says "the snapshot changed". Unreadable messages are
 * rejected to the queue's dead-letter queue by the converter.
 */
@Component
@RabbitListener(queues = TargetsConfiguration.QUEUE_EXPRESSION, id = "health-worker-portmap-events")
class PortMapEventsListener {

    private static final Logger log = LoggerFactory.getLogger(PortMapEventsListener.class);

    private final TargetBook book;

    PortMapEventsListener(TargetBook book) {
        this.book = book;
    }

    @RabbitHandler
    void applied(PortMapApplied event) {
        log.debug("port {} of {} applied at generation {}", event.connPort(), event.gateway(), event.generation());
        book.markStale("port " + event.connPort() + " was applied at generation " + event.generation());
    }

    @RabbitHandler
    void removed(PortMapRemoved event) {
        log.debug("port {} of {} removed at generation {}", event.connPort(), event.gateway(), event.generation());
        book.markStale("port " + event.connPort() + " was removed at generation " + event.generation());
    }

    /** Another message type bound to the queue by hand: it tells nothing about targets. */
    @RabbitHandler(isDefault = true)
    void other(IpamMessage message) {
        log.debug("ignoring {} on the port-map events queue", message.getClass().getSimpleName());
    }
}
