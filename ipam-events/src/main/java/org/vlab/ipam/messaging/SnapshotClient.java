package org.vlab.ipam.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpMessageReturnedException;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;

/**
 * Asks the API for a gateway's snapshot, as agents and health workers do: a
 * {@code snapshot.requested} on {@code vlab.ipam.commands} / {@code api.snapshot}, answered
 * through RabbitMQ's direct reply-to. The request is mandatory, so with no API listening it
 * comes back at once instead of timing out; it expires after the reply timeout, so requests
 * nobody waits for do not pile up; and it carries the connection's user as {@code user_id},
 * which RabbitMQ verifies and the API checks against {@code ipam.snapshot-requesters}.
 */
public final class SnapshotClient implements AutoCloseable {

    private final RabbitTemplate template;
    private final GatewayId gateway;
    private final String requester;
    private final String username;
    private final Clock clock;
    private final Duration replyTimeout;

    public SnapshotClient(ConnectionFactory connectionFactory, GatewayId gateway, String requester, Clock clock,
            Duration replyTimeout) {
        this.template = new RabbitTemplate(connectionFactory);
        this.template.setMessageConverter(new IpamMessageConverter());
        this.template.setReplyTimeout(replyTimeout.toMillis());
        this.template.setMandatory(true);
        // One consumer on amq.rabbitmq.reply-to per request (they are rare) instead of a
        // long-lived reply container, whose channel outlived the connection at shutdown.
        this.template.setUseDirectReplyToContainer(false);
        this.gateway = gateway;
        this.requester = requester;
        this.username = connectionFactory.getUsername();
        this.clock = clock;
        this.replyTimeout = replyTimeout;
    }

    /**
     * The gateway's snapshot; throws {@link SnapshotUnavailableException} saying why there is
     * none, or {@link CancellationException} when the calling thread was interrupted (stopping).
     */
    public SnapshotTaken request() {
        Object answer;
        try {
            answer = template.convertSendAndReceive(Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY,
                    new SnapshotRequested(gateway, requester, clock.instant()), message -> {
                        MessageProperties properties = message.getMessageProperties();
                        properties.setMessageId(UUID.randomUUID().toString());
                        properties.setAppId(requester);
                        properties.setUserId(username);
                        properties.setExpiration(Long.toString(replyTimeout.toMillis()));
                        return message;
                    });
        } catch (AmqpMessageReturnedException e) {
            throw new SnapshotUnavailableException("no queue is bound for " + Topology.SNAPSHOT_ROUTING_KEY
                    + " on " + Topology.COMMANDS_EXCHANGE + ": is ipam-api running? (" + e.getReplyText() + ")", e);
        } catch (AmqpException e) {
            if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for the snapshot");
            }
            throw new SnapshotUnavailableException("could not ask for the snapshot: " + e.getMessage(), e);
        }
        if (answer == null) {
            throw new SnapshotUnavailableException("no snapshot answer within " + replyTimeout, null);
        }
        if (!(answer instanceof SnapshotTaken snapshot)) {
            throw new SnapshotUnavailableException("the snapshot request was answered with "
                    + answer.getClass().getSimpleName() + ", not snapshot.taken", null);
        }
        if (!snapshot.gateway().equals(gateway)) {
            throw new SnapshotUnavailableException("asked for the snapshot of " + gateway + " but got that of "
                    + snapshot.gateway(), null);
        }
        return snapshot;
    }

    /** Releases the template (and a reply consumer still waiting) before the connection factory goes. */
    @Override
    public void close() {
        template.destroy();
    }
}
