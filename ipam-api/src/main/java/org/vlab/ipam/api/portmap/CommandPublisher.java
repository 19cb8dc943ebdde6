package org.vlab.ipam.api.portmap;

import java.time.Clock;
import java.util.concurrent.CompletionException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.web.ServiceUnavailableException;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a mapping's command to its gateway's agent. The message id names the gateway, port
 * and generation, so a re-published command is recognisably the same one.
 */
@Component
class CommandPublisher {

    private final MessagePublisher publisher;
    private final ConnectionFactory connectionFactory;
    private final Clock clock;

    CommandPublisher(MessagePublisher publisher, ConnectionFactory connectionFactory, Clock clock) {
        this.publisher = publisher;
        this.connectionFactory = connectionFactory;
        this.clock = clock;
    }

    /** Fails with 503 before anything is written when the broker cannot be reached at all. */
    Mono<Void> requireBroker() {
        return Mono.<Void>fromRunnable(() -> {
            try {
                connectionFactory.createConnection().close();
            } catch (RuntimeException e) {
                throw new ServiceUnavailableException("RabbitMQ is unreachable; nothing was changed, retry later");
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The command that drives the gateway towards {@code mapping}: create while pending, remove while removing or failed. */
    Mono<Void> publish(GatewayId gateway, Mapping mapping, String requestId) {
        PortMapRequested command = mapping.state() == MappingState.PENDING || mapping.state() == MappingState.APPLIED
                ? PortMapRequested.create(gateway, mapping.connPort(), mapping.generation(), mapping.target(), clock.instant())
                : PortMapRequested.remove(gateway, mapping.connPort(), mapping.generation(), clock.instant());
        String messageId = gateway + ":" + mapping.connPort() + ":" + mapping.generation() + ":"
                + command.action().name().toLowerCase(java.util.Locale.ROOT);
        return Mono.fromFuture(() -> publisher.publish(command, new MessageMetadata(messageId, requestId)))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(CompletionException.class, e -> e.getCause() == null ? e : e.getCause());
    }
}
