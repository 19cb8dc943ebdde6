package org.vlab.ipam.api.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.events.Refusal.Reason;
import org.vlab.ipam.events.Topology;

/**
 * Moves a message the API refused to its queue's dead-letter queue with the reason on it: a
 * copy goes to {@code vlab.ipam.dead-letter} (routing key: the queue's name, as the broker's own
 * dead-lettering uses) with {@code x-ipam-rejection} headers, and only once the broker confirmed
 * the copy is the original acknowledged. If the copy cannot be placed, the original is rejected
 * without requeue, so the broker dead-letters it itself (reason {@code rejected}, no header).
 * Either way the refusal is logged once, escaped, and counted in {@code ipam_events_rejected_total}.
 */
@Component
class RefusedMessages {

    static final String REJECTION = "x-ipam-rejection";
    static final String DETAIL = "x-ipam-rejection-detail";
    static final String USER_ID = "x-ipam-user-id";
    static final String EXCHANGE = "x-ipam-exchange";
    static final String ROUTING_KEY = "x-ipam-routing-key";
    static final String REPLY_TO = "x-ipam-reply-to";
    static final String REJECTED_AT = "x-ipam-rejected-at";
    static final String METRIC = "ipam.events.rejected";

    private static final Logger log = LoggerFactory.getLogger(RefusedMessages.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final RabbitTemplate template;
    private final String username;
    private final MeterRegistry meters;

    RefusedMessages(ConnectionFactory connectionFactory, MeterRegistry meters) {
        this.template = new RabbitTemplate(connectionFactory);
        this.template.setMandatory(true);
        this.template.setReturnsCallback(returned -> { });
        this.username = connectionFactory.getUsername();
        this.meters = meters;
        // Every series exists from the start at 0, so a rate alert sees the first refusal.
        EnumSet.complementOf(EnumSet.of(Reason.REPLY_TO)).forEach(reason -> counter(Topology.API_EVENTS_QUEUE, reason));
        EnumSet.of(Reason.USER_ID_MISSING, Reason.USER_ID_NOT_ALLOWED, Reason.REPLY_TO, Reason.UNREADABLE, Reason.FAILED)
                .forEach(reason -> counter(Topology.API_SNAPSHOT_QUEUE, reason));
        EnumSet.complementOf(EnumSet.of(Reason.REPLY_TO, Reason.FUTURE_TIMESTAMP))
                .forEach(reason -> counter(Topology.API_USAGE_QUEUE, reason));
    }

    /** Dead-letters {@code message}, taken from {@code queue}; returns normally once it is there. */
    void deadLetter(Message message, String queue, Refusal refusal) {
        MessageProperties received = message.getMessageProperties();
        counter(queue, refusal.reason()).increment();
        log.warn("refused {} message {} from RabbitMQ user {} on {} {} ({}): {}: {}; moved to {}",
                LogText.escape(received.getType()), LogText.escape(received.getMessageId()),
                LogText.escape(received.getReceivedUserId()), LogText.escape(received.getReceivedExchange()),
                LogText.escape(received.getReceivedRoutingKey()), queue, refusal.reason().tag(), refusal.detail(),
                Topology.deadLetterQueue(queue));
        if (!placed(copyOf(message, refusal), queue)) {
            throw new AmqpRejectAndDontRequeueException("refused (" + refusal.reason().tag() + "): "
                    + refusal.detail());
        }
    }

    private boolean placed(Message copy, String queue) {
        CorrelationData correlation = new CorrelationData();
        try {
            template.send(Topology.DEAD_LETTER_EXCHANGE, queue, copy, correlation);
            CorrelationData.Confirm confirm = correlation.getFuture().get(CONFIRM_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            if (confirm.ack() && correlation.getReturned() == null) {
                return true;
            }
            log.warn("the dead-letter copy was not taken ({}); rejecting the original instead",
                    correlation.getReturned() != null ? "no queue bound for " + queue : confirm.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("could not publish the dead-letter copy ({}); rejecting the original instead", e.toString());
        }
        return false;
    }

    /**
     * The original body and properties, without what the broker would refuse or act on when
     * published by the API: user_id (not the API's user; kept as a header), reply-to and
     * expiration. The API's own user id marks the copy as the API's.
     */
    private Message copyOf(Message message, Refusal refusal) {
        MessageProperties received = message.getMessageProperties();
        MessageProperties copy = new MessageProperties();
        received.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("x-ipam-")) {
                copy.setHeader(name, value);
            }
        });
        copy.setContentType(received.getContentType());
        copy.setContentEncoding(received.getContentEncoding());
        copy.setType(received.getType());
        copy.setMessageId(received.getMessageId());
        copy.setCorrelationId(received.getCorrelationId());
        copy.setAppId(received.getAppId());
        copy.setTimestamp(received.getTimestamp());
        copy.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        copy.setUserId(username);
        Map<String, Object> why = Map.of(REJECTION, refusal.reason().tag(), DETAIL, refusal.detail(),
                REJECTED_AT, Date.from(Instant.now()));
        why.forEach(copy::setHeader);
        setIfPresent(copy, USER_ID, received.getReceivedUserId());
        setIfPresent(copy, EXCHANGE, received.getReceivedExchange());
        setIfPresent(copy, ROUTING_KEY, received.getReceivedRoutingKey());
        setIfPresent(copy, REPLY_TO, received.getReplyTo());
        return new Message(message.getBody(), copy);
    }

    private static void setIfPresent(MessageProperties properties, String header, String value) {
        if (value != null) {
            properties.setHeader(header, value);
        }
    }

    private Counter counter(String queue, Reason reason) {
        return Counter.builder(METRIC).description("Messages the API refused and dead-lettered, by queue and reason")
                .tag("queue", queue).tag("reason", reason.tag()).register(meters);
    }
}
