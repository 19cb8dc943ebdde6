package org.vlab.ipam.api.events;

import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.boot.amqp.autoconfigure.RabbitListenerRetrySettingsCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.api.events.Refusal.Reason;

/**
 * The listeners retry failures with back-off (application.yaml) except a deliberate rejection
 * and a message that cannot be read, which no retry can help. A message the listener gives up
 * on goes to its dead-letter queue the way refused ones do: with its reason in a header, logged
 * escaped and counted. (Spring AMQP's own recoverer would log the raw body and the parser's
 * message, both the publisher's text.)
 */
@Configuration(proxyBeanMethods = false)
class ListenerRetry {

    @Bean
    RabbitListenerRetrySettingsCustomizer rejectionsAreNotRetried() {
        return settings -> {
            List<Class<? extends Throwable>> excluded = new ArrayList<>(settings.getExceptionExcludes());
            excluded.add(AmqpRejectAndDontRequeueException.class);
            // An unreadable message stays unreadable: straight to the dead-letter queue.
            excluded.add(MessageConversionException.class);
            settings.setExceptionExcludes(excluded);
        };
    }

    @Bean
    MessageRecoverer deadLetterWithReason(RefusedMessages refused) {
        return (message, cause) -> {
            Throwable root = cause;
            boolean unreadable = false;
            boolean rejected = false;
            for (Throwable link = cause; link != null; link = link.getCause() == link ? null : link.getCause()) {
                unreadable |= link instanceof MessageConversionException;
                rejected |= link instanceof AmqpRejectAndDontRequeueException;
                root = link;
            }
            String why = LogText.escape(root.getClass().getSimpleName() + ": " + root.getMessage());
            String queue = message.getMessageProperties().getConsumerQueue();
            if (rejected || queue == null) {
                // Already logged and counted by RefusedMessages, which could not place the copy: let the broker.
                throw new AmqpRejectAndDontRequeueException(why);
            }
            refused.deadLetter(message, queue, new Refusal(unreadable ? Reason.UNREADABLE : Reason.FAILED, why));
        };
    }
}
