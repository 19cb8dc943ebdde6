package org.vlab.ipam.messaging;

import java.time.Duration;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every service imports to talk to the broker: the message converter (which Spring
 * Boot's listener containers pick up), the shared exchanges, and the confirming publisher.
 */
@Configuration(proxyBeanMethods = false)
public class IpamMessagingConfiguration {

    /** A healthy broker confirms in milliseconds; this only bounds a broker that stopped answering. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    /** Static: a post-processor must exist before the declarables it marks. */
    @Bean
    static UndeclaredTopology undeclaredTopology(org.springframework.core.env.Environment environment) {
        return new UndeclaredTopology(environment);
    }

    @Bean
    IpamMessageConverter ipamMessageConverter() {
        return new IpamMessageConverter();
    }

    @Bean
    Declarables ipamExchanges() {
        return IpamTopology.exchanges();
    }

    @Bean
    MessagePublisher messagePublisher(CachingConnectionFactory connectionFactory,
            @Value("${spring.application.name}") String applicationName) {
        return new ConfirmingPublisher(connectionFactory, applicationName, CONFIRM_TIMEOUT);
    }
}
