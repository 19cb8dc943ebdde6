package org.vlab.ipam.health.publish;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.health.HealthWorkerProperties;
import org.vlab.ipam.messaging.MessagePublisher;

/** The broker link the connection factory reports to, and the outbox that publishes through it. */
@Configuration(proxyBeanMethods = false)
class PublishConfiguration {

    /** How often events are tried while the broker is known down (the connect timeout bounds each try). */
    static final Duration RETRY = Duration.ofSeconds(5);
    /** How long a stopping worker gives its waiting events to reach an answering broker. */
    static final Duration FLUSH_ON_STOP = Duration.ofSeconds(5);

    @Bean
    BrokerLink brokerLink(CachingConnectionFactory connectionFactory) {
        BrokerLink link = new BrokerLink();
        connectionFactory.addConnectionListener(link);
        return link;
    }

    @Bean
    EventOutbox eventOutbox(MessagePublisher publisher, BrokerLink link, HealthWorkerProperties properties,
            MeterRegistry registry) {
        return new EventOutbox(publisher, link, properties.outboxCapacity(), RETRY, FLUSH_ON_STOP, registry);
    }
}
