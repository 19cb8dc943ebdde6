package org.vlab.ipam.api.portmap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.gateway.GatewayRegistry;
import org.vlab.ipam.api.portmap.Confirmations.Confirmation;
import org.vlab.ipam.api.portmap.PortMapStore.Creation;
import org.vlab.ipam.api.portmap.PortMapStore.Idempotency;
import org.vlab.ipam.api.portmap.PortMapStore.Removal;
import org.vlab.ipam.api.web.ApiException;
import org.vlab.ipam.api.web.ServiceUnavailableException;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.messaging.PublishFailedException;
import reactor.core.publisher.Mono;

/**
 * Creates and removes port maps: records the intent in Redis, sends the command, and waits a
 * bounded time for the agent's answer. Whatever cannot be published because the broker is
 * down is undone, so the client's retry starts from a clean slate.
 */
@Service
class PortMapService {

    private static final Logger log = LoggerFactory.getLogger(PortMapService.class);

    private final PortMapStore store;
    private final GatewayRegistry registry;
    private final Confirmations confirmations;
    private final CommandPublisher commands;
    private final Clock clock;
    private final PortRange range;
    private final Duration applyWait;
    private final Duration republishAfter;
    private final long idempotencyTtlMillis;
    private final Timer ackLatency;

    PortMapService(PortMapStore store, GatewayRegistry registry, Confirmations confirmations, CommandPublisher commands,
            Clock clock, ApiProperties properties, MeterRegistry meters) {
        this.store = store;
        this.registry = registry;
        this.confirmations = confirmations;
        this.commands = commands;
        this.clock = clock;
        this.range = new PortRange(properties.portMin(), properties.portMax());
        this.applyWait = properties.applyWait();
        this.republishAfter = properties.republishAfter();
        this.idempotencyTtlMillis = properties.idempotencyTtl().toMillis();
        this.ackLatency = Timer.builder("ipam.portmap.ack.latency")
                .description("Time from publishing a command to the agent's answer, as seen by the waiting request")
                .publishPercentileHistogram().register(meters);
    }

    Mono<PortMapAnswer> create(GatewayId gateway, PortMapTarget target, Idempotency idempotency, String requestId) {
        return registry.find(gateway)
                .flatMap(record -> {
                    if (!record.admits(target.addr())) {
                        return Mono.error(ApiException.badRequest("target_addr " + target.addr()
                                + " is outside the lab networks of gateway " + gateway + ": " + record.labNetworks()));
                    }
                    java.util.Optional<String> reserved = record.reservedUse(target.addr());
                    if (reserved.isPresent()) {
                        return Mono.error(ApiException.badRequest("target_addr " + target.addr() + " is "
                                + reserved.get() + ", not a usable lab address"));
                    }
                    return commands.requireBroker();
                })
                .then(Mono.defer(() -> {
                    Instant now = clock.instant();
                    return store.create(gateway, range, target, now, requestId, idempotency, idempotencyTtlMillis,
                            now.plus(republishAfter));
                }))
                .flatMap(creation -> {
                    if (creation instanceof Creation.Created created) {
                        return publishAndWait(gateway, created.port(), created.generation(), requestId, null, 0, idempotency);
                    }
                    if (creation instanceof Creation.Existing existing) {
                        return answerExisting(gateway, existing.port());
                    }
                    if (creation instanceof Creation.RangeExhausted) {
                        return Mono.error(new ApiException(HttpStatus.CONFLICT,
                                "No free connection port on gateway " + gateway + " (range " + range + ")"));
                    }
                    return Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                            "Idempotency-Key was already used with a different request body"));
                });
    }

    Mono<PortMapAnswer> remove(GatewayId gateway, ConnPort port, String requestId) {
        return store.find(gateway, port)
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.NOT_FOUND, "No such port mapping record")))
                .flatMap(found -> commands.requireBroker())
                .then(Mono.defer(() -> {
                    Instant now = clock.instant();
                    return store.remove(gateway, port, now, requestId, now.plus(republishAfter));
                }))
                .flatMap(removal -> removal instanceof Removal.Removing removing
                        ? publishAndWait(gateway, port, removing.generation(), requestId, removing.previousState(),
                                removing.previousGeneration(), Idempotency.NONE)
                        : Mono.error(new ApiException(HttpStatus.NOT_FOUND, "No such port mapping record")));
    }

    /** A retried POST: answers from the mapping the first request created, waiting for it if still pending. */
    private Mono<PortMapAnswer> answerExisting(GatewayId gateway, ConnPort port) {
        return store.find(gateway, port)
                .flatMap(mapping -> mapping.state() == MappingState.PENDING
                        ? awaitAnswer(confirmations.register(gateway, port, mapping.generation()), gateway, port,
                                mapping.generation(), false, System.nanoTime())
                        : Mono.just(answerFor(mapping)))
                .switchIfEmpty(Mono.fromSupplier(() -> PortMapAnswer.failed(
                        "The first request with this Idempotency-Key failed and its port was released", content(port, null))));
    }

    private Mono<PortMapAnswer> publishAndWait(GatewayId gateway, ConnPort port, long generation, String requestId,
            String previousState, long previousGeneration, Idempotency idempotency) {
        boolean removal = previousState != null;
        Confirmations.Waiting waiting = confirmations.register(gateway, port, generation);
        long started = System.nanoTime();
        return store.find(gateway, port)
                .flatMap(mapping -> commands.publish(gateway, mapping, requestId))
                .then(Mono.defer(() -> awaitAnswer(waiting, gateway, port, generation, removal, started)))
                .onErrorResume(PublishFailedException.class, failure -> switch (failure.reason()) {
                    case UNROUTABLE, REFUSED -> {
                        log.warn("command for {} port {} not taken by the broker ({}); it stays pending and is re-published",
                                gateway, port, failure.getMessage());
                        yield Mono.just(PortMapAnswer.accepted(content(port, removal ? MappingState.REMOVING : MappingState.PENDING)));
                    }
                    case BROKER_UNREACHABLE, TIMED_OUT -> store.undo(gateway, port, generation, previousState,
                                    previousGeneration, idempotency)
                            .then(Mono.error(new ServiceUnavailableException(
                                    "RabbitMQ is unreachable; nothing was changed, retry later")));
                })
                .doFinally(signal -> waiting.cancel());
    }

    private Mono<PortMapAnswer> awaitAnswer(Confirmations.Waiting waiting, GatewayId gateway, ConnPort port,
            long generation, boolean removal, long started) {
        return waiting.answer(applyWait)
                .doOnNext(confirmation -> ackLatency.record(Duration.ofNanos(System.nanoTime() - started)))
                .map(confirmation -> answer(port, confirmation, removal))
                .onErrorResume(TimeoutException.class, e -> settle(gateway, port, generation, removal))
                .doFinally(signal -> waiting.cancel());
    }

    private PortMapAnswer answer(ConnPort port, Confirmation confirmation, boolean removal) {
        return switch (confirmation.result()) {
            case "applied" -> PortMapAnswer.ok(Map.of("conn_port", port.value()));
            case "removed" -> PortMapAnswer.ok(Map.of());
            case "released" -> PortMapAnswer.failed(reasonOrDefault(confirmation.reason()), content(port, null));
            case "failed" -> PortMapAnswer.failed(reasonOrDefault(confirmation.reason()), content(port, MappingState.FAILED));
            default -> PortMapAnswer.accepted(content(port, removal ? MappingState.REMOVING : MappingState.PENDING));
        };
    }

    /** The wait is over: a confirmation may have been announced while nobody listened, so read Redis once more. */
    private Mono<PortMapAnswer> settle(GatewayId gateway, ConnPort port, long generation, boolean removal) {
        return store.find(gateway, port)
                .map(mapping -> mapping.generation() != generation ? PortMapAnswer.accepted(content(port, mapping.state()))
                        : answerFor(mapping))
                .switchIfEmpty(Mono.fromSupplier(() -> removal ? PortMapAnswer.ok(Map.of())
                        : PortMapAnswer.failed("The gateway agent refused the mapping; its port was released", content(port, null))));
    }

    private static PortMapAnswer answerFor(Mapping mapping) {
        return switch (mapping.state()) {
            case APPLIED -> PortMapAnswer.ok(Map.of("conn_port", mapping.connPort().value()));
            case FAILED -> PortMapAnswer.failed(reasonOrDefault(mapping.error()), content(mapping.connPort(), MappingState.FAILED));
            case PENDING, REMOVING -> PortMapAnswer.accepted(content(mapping.connPort(), mapping.state()));
        };
    }

    private static String reasonOrDefault(String reason) {
        return reason == null || reason.isBlank() ? "The gateway agent could not apply the change" : reason;
    }

    private static Map<String, Object> content(ConnPort port, MappingState state) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("conn_port", port.value());
        if (state != null) {
            content.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        }
        return content;
    }
}
