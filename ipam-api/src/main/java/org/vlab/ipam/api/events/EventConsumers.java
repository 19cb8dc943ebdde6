package org.vlab.ipam.api.events;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.api.ApiProperties;

/**
 * Records up to {@code ipam.event-consumers} events at once. Each consumer waits for one Redis
 * script, so a single one serialized every create's confirmation behind the previous one's
 * Redis round trip (issue 14). Running them side by side is safe: every update is idempotent
 * and moves a mapping only for its current generation (or a gateway's record only for a newer
 * timestamp), the same rules that already let the replicas compete for the one queue.
 *
 * <p>One consumer starts, and more join while events keep arriving (one every
 * {@value #JOIN_INTERVAL_MS} ms, up to the setting); Spring stops the extra ones once they sit
 * idle. Sixteen from the start made a silent broker host cost minutes: every consumer retried
 * its connection behind the connection factory's one lock, 2 s per attempt, and starting or
 * stopping a container waited behind all of them (SilentHostTests caught a replica that took
 * minutes to stop). For the same reason no container declares anything itself (it would hold
 * its lifecycle lock while waiting for a connection); the application's {@code RabbitAdmin}
 * declares the API's queues on every new connection, which is also what redeclares them after a
 * broker restart.
 *
 * <p>The containers start and stop in phase {@value #PHASE}, not Spring's default (last to
 * start, first to stop): at shutdown the web server first drains the requests in flight, and a
 * create still waiting for its agent's answer needs this replica to go on consuming the answers
 * (with one replica nobody else does, and the request would end as "pending" at
 * {@code ipam.apply-wait}). Above {@code Confirmations} (1000), which completes the waiting
 * requests once an answer is recorded. With a broker host that drops packets, the web server now
 * binds only after the containers' first connect attempts (2 s each); the startup probe allows
 * minutes.
 */
@Configuration(proxyBeanMethods = false)
class EventConsumers {

    /** How soon another consumer may join while every one is busy. */
    static final long JOIN_INTERVAL_MS = 100;

    /** After Redis and {@code Confirmations} start, before the web server; the reverse at shutdown. */
    static final int PHASE = 2000;

    @Bean
    ContainerCustomizer<SimpleMessageListenerContainer> listenerContainers(ApiProperties properties) {
        return container -> {
            container.setAutoDeclare(false);
            // every container the same phase: Spring's registry starts and stops them together
            container.setPhase(PHASE);
            if (EventsListener.ID.equals(container.getListenerId())) {
                container.setConcurrentConsumers(1);
                container.setMaxConcurrentConsumers(properties.eventConsumers());
                container.setConsecutiveActiveTrigger(1);
                container.setStartConsumerMinInterval(JOIN_INTERVAL_MS);
            }
        };
    }
}
