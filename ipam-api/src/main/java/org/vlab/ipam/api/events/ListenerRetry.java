package org.vlab.ipam.api.events;

import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.boot.amqp.autoconfigure.RabbitListenerRetrySettingsCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The listeners retry failures with back-off (application.yaml) except a deliberate rejection
 * and a message that cannot be read, which no retry can help:
 * a refused snapshot request goes to the dead-letter queue at once instead of holding the
 * snapshot consumer for the whole back-off, so refused requests cannot delay others' answers.
 */
@Configuration(proxyBeanMethods = false)
class ListenerRetry {

    @Bean
    RabbitListenerRetrySettingsCustomizer rejectionsAreNotRetried() {
        return settings -> {
            List<Class<? extends Throwable>> excluded = new ArrayList<>(settings.getExceptionExcludes());
            excluded.add(AmqpRejectAndDontRequeueException.class);
            // An unreadable message stays unreadable: straight to the dead-letter queue.
            excluded.add(org.springframework.amqp.support.converter.MessageConversionException.class);
            settings.setExceptionExcludes(excluded);
        };
    }
}
