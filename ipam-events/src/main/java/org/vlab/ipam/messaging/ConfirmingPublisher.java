package org.vlab.ipam.messaging;

import java.time.Duration;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.PublishFailedException.Reason;

/**
 * {@link MessagePublisher} over a RabbitTemplate of its own, with publisher confirms and the
 * mandatory flag, so a message no queue takes is reported instead of silently dropped. Every
 * message carries the connection's user as {@code user_id}, which the broker verifies.
 */
public final class ConfirmingPublisher implements MessagePublisher {

    private final RabbitTemplate template;
    private final IpamMessageConverter converter = new IpamMessageConverter();
    private final String appId;
    private final String username;
    private final Duration confirmTimeout;

    public ConfirmingPublisher(CachingConnectionFactory connectionFactory, String appId, Duration confirmTimeout) {
        if (!connectionFactory.isPublisherConfirms() || !connectionFactory.isPublisherReturns()) {
            throw new IllegalStateException("publishing needs publisher confirms and returns: set "
                    + "spring.rabbitmq.publisher-confirm-type=correlated and spring.rabbitmq.publisher-returns=true");
        }
        this.template = new RabbitTemplate(connectionFactory);
        this.template.setMandatory(true);
        // Returns are read from each publish's CorrelationData; this only silences the
        // template's "no callback" warning.
        this.template.setReturnsCallback(returned -> { });
        this.template.setMessageConverter(converter);
        this.appId = appId;
        this.username = connectionFactory.getUsername();
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public CompletableFuture<Void> publish(IpamMessage message, MessageMetadata metadata) {
        return publish(EncodedMessage.of(message), metadata);
    }

    @Override
    public CompletableFuture<Void> publish(EncodedMessage encoded, MessageMetadata metadata) {
        MessageType type = MessageType.of(encoded.message());
        return send(type.exchange(), type.routingKey(encoded.message()), encoded, metadata, true);
    }

    @Override
    public CompletableFuture<Void> reply(SnapshotTaken snapshot, String replyTo, String correlationId) {
        return send("", replyTo, EncodedMessage.of(snapshot), MessageMetadata.correlatedWith(correlationId), false);
    }

    /**
     * {@code failWhenReturned} is false for replies: RabbitMQ 3.10 returns a mandatory message
     * sent to a direct reply-to address even when it delivered it, and a reply has no other
     * queue to go to anyway, so a return says nothing useful about it.
     */
    private CompletableFuture<Void> send(String exchange, String routingKey, EncodedMessage body,
            MessageMetadata metadata, boolean failWhenReturned) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setMessageId(metadata.messageId());
        properties.setCorrelationId(metadata.correlationId());
        properties.setAppId(appId);
        // RabbitMQ refuses a user_id that is not the connection's user, so consumers can trust it
        // (the API checks events' user_id against ipam.event-publishers).
        properties.setUserId(username);
        properties.setTimestamp(new Date());
        Message message = converter.toMessage(body, properties);
        String what = MessageType.of(body.message()).wireName() + " to " + (exchange.isEmpty() ? "reply " : exchange + " ")
                + routingKey;
        CorrelationData correlation = new CorrelationData(metadata.messageId());
        try {
            template.send(exchange, routingKey, message, correlation);
        } catch (AmqpException e) {
            return CompletableFuture.failedFuture(
                    new PublishFailedException(Reason.BROKER_UNREACHABLE, "could not publish " + what, e));
        }
        return correlation.getFuture()
                .orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((confirm, error) -> {
                    if (error instanceof TimeoutException) {
                        throw new PublishFailedException(Reason.TIMED_OUT,
                                "no confirm for " + what + " within " + confirmTimeout, error);
                    }
                    if (error != null) {
                        throw new PublishFailedException(Reason.BROKER_UNREACHABLE, "could not publish " + what, error);
                    }
                    // Spring AMQP sets the returned message before it completes the confirm.
                    if (failWhenReturned && correlation.getReturned() != null) {
                        throw new PublishFailedException(Reason.UNROUTABLE, "no queue is bound for " + what, null);
                    }
                    if (!confirm.ack()) {
                        throw new PublishFailedException(Reason.REFUSED,
                                "broker refused " + what + ": " + confirm.reason(), null);
                    }
                    return null;
                });
    }
}
