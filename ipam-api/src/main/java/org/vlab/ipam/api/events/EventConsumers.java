package org.vlab.ipam.api.events;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.api.ApiProperties;

/**
 * Records {@code ipam.event-consumers} events at once. Each consumer waits for one Redis
 * script, so a single one serialized every create's confirmation behind the previous one's
 * Redis round trip (issue 14). Running them side by side is safe: every update is idempotent
 * and moves a mapping only for its current generation (or a gateway's record only for a newer
 * timestamp), the same rules that already let the replicas compete for the one queue.
 */
@Configuration(proxyBeanMethods = false)
class EventConsumers {

    @Bean
    ContainerCustomizer<SimpleMessageListenerContainer> eventConsumerCount(ApiProperties properties) {
        return container -> {
            if (EventsListener.ID.equals(container.getListenerId())) {
                container.setConcurrentConsumers(properties.eventConsumers());
            }
        };
    }
}
