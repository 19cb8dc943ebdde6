package org.vlab.ipam.agent.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpMessageReturnedException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;

/**
 * Asks the API for the gateway's snapshot: a {@code snapshot.requested} on
 * {@code vlab.ipam.commands} / {@code api.snapshot} with RabbitMQ's direct reply-to. The
 * request is mandatory, so with no API listening it comes back at once instead of timing out.
 * It carries the connection's user as {@code user_id}, which RabbitMQ verifies and the API
 * checks against {@code ipam.snapshot-requesters}.
 */
public final class BrokerSnapshots implements SnapshotSource, AutoCloseable {

    static final String REQUESTER = "firewall-agent";

    private final RabbitTemplate template;
    private final GatewayId gateway;
    private final String username;
    private final Clock clock;
    private final Duration timeout;

    public BrokerSnapshots(ConnectionFactory connectionFactory, GatewayId gateway, Clock clock, Duration timeout) {
        this.template = new RabbitTemplate(connectionFactory);
        this.template.setMessageConverter(new IpamMessageConverter());
        this.template.setReplyTimeout(timeout.toMillis());
        this.template.setMandatory(true);
        // a channel of its own per request (they are rare) instead of a long-lived reply consumer
        this.template.setUseDirectReplyToContainer(false);
        this.gateway = gateway;
        this.username = connectionFactory.getUsername();
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public SnapshotTaken fetch() throws SnapshotUnavailableException {
        Object answer;
        try {
            answer = template.convertSendAndReceive(Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY,
                    new SnapshotRequested(gateway, REQUESTER, clock.instant()), message -> {
                        message.getMessageProperties().setMessageId(UUID.randomUUID().toString());
                        message.getMessageProperties().setAppId(REQUESTER);
                        message.getMessageProperties().setUserId(username);
                        return message;
                    });
        } catch (AmqpMessageReturnedException e) {
            throw new SnapshotUnavailableException("no API is listening for snapshot requests (" + e.getReplyText() + ")", e);
        } catch (AmqpException e) {
            throw new SnapshotUnavailableException("could not ask for a snapshot: " + e.getMessage(), e);
        }
        if (answer == null) {
            throw new SnapshotUnavailableException("the API did not answer the snapshot request within " + timeout, null);
        }
        if (!(answer instanceof SnapshotTaken snapshot) || !snapshot.gateway().equals(gateway)) {
            throw new SnapshotUnavailableException("the answer to the snapshot request is not this gateway's snapshot: "
                    + answer.getClass().getSimpleName(), null);
        }
        return snapshot;
    }

    @Override
    public void close() {
        template.destroy();
    }
}
