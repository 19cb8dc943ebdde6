package org.vlab.ipam.api.portmap;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.health.BrokerProbe;
import org.vlab.ipam.api.web.ServiceUnavailableException;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapTarget;
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

    /**
     * How long a request waits for the broker's confirm. Past it the outcome is unknown, so the
     * command stays pending for the re-publisher; the request does not hang on a silent broker.
     */
    static final Duration CONFIRM_WAIT = Duration.ofSeconds(2);

    private final MessagePublisher publisher;
    private final BrokerProbe broker;
    private final Clock clock;

    CommandPublisher(MessagePublisher publisher, BrokerProbe broker, Clock clock) {
        this.publisher = publisher;
        this.broker = broker;
        this.clock = clock;
    }

    /** Fails with 503 before anything is written when the broker cannot be reached within {@link BrokerProbe#TIMEOUT}. */
    Mono<Void> requireBroker() {
        return brokerReachable().flatMap(up -> up ? Mono.empty() : Mono.error(brokerUnavailable()));
    }

    /** Whether the broker can be reached, answered within {@link BrokerProbe#TIMEOUT}; never fails. */
    Mono<Boolean> brokerReachable() {
        return broker.reachable();
    }

    /** The 503 of a write refused before anything was written because the broker is unreachable. */
    static ServiceUnavailableException brokerUnavailable() {
        return new ServiceUnavailableException("RabbitMQ is unreachable; nothing was changed, retry later");
    }

    /**
     * The command that drives the gateway towards {@code mapping}: create while it is wanted
     * (pending, applied, or refused by its agent after it was applied), else remove.
     */
    Mono<Void> publish(GatewayId gateway, Mapping mapping, String requestId) {
        return mapping.stateForAgent() == MappingState.PENDING || mapping.stateForAgent() == MappingState.APPLIED
                ? publishCreate(gateway, mapping.connPort(), mapping.generation(), mapping.target(), requestId)
                : publishRemove(gateway, mapping.connPort(), mapping.generation(), requestId, mapping.removalReason());
    }

    Mono<Void> publishCreate(GatewayId gateway, ConnPort port, long generation, PortMapTarget target, String requestId) {
        return send(PortMapRequested.create(gateway, port, generation, target, clock.instant()), requestId);
    }

    Mono<Void> publishRemove(GatewayId gateway, ConnPort port, long generation, String requestId) {
        return publishRemove(gateway, port, generation, requestId, null);
    }

    /** A removal for a reason the agent repeats in its answer ({@code expired}); null for the user's own. */
    Mono<Void> publishRemove(GatewayId gateway, ConnPort port, long generation, String requestId, String reason) {
        return send(PortMapRequested.remove(gateway, port, generation, clock.instant(), reason), requestId);
    }

    /** Completes on the broker's confirm; fails with a {@code PublishFailedException} or, after {@link #CONFIRM_WAIT}, a timeout. */
    private Mono<Void> send(PortMapRequested command, String requestId) {
        String messageId = command.gateway() + ":" + command.connPort() + ":" + command.generation() + ":"
                + command.action().name().toLowerCase(Locale.ROOT);
        return Mono.fromFuture(() -> publisher.publish(command, new MessageMetadata(messageId, requestId)))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(CONFIRM_WAIT)
                .onErrorMap(CompletionException.class, e -> e.getCause() == null ? e : e.getCause());
    }
}
