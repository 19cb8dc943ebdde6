package org.vlab.ipam.api.portmap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.gateway.GatewayRecord;
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
 * bounded time for the agent's answer. 503 means nothing was written: a command the broker
 * never received is undone; once the command may have reached it, the change stands (202).
 */
@Service
class PortMapService {

    private static final Logger log = LoggerFactory.getLogger(PortMapService.class);

    private final PortMapStore store;
    private final LeaseStore leases;
    private final GatewayRegistry registry;
    private final Confirmations confirmations;
    private final CommandPublisher commands;
    private final Clock clock;
    private final PortRange range;
    private final Duration applyWait;
    private final Duration republishAfter;
    private final long idempotencyTtlMillis;
    private final Timer ackLatency;

    PortMapService(PortMapStore store, LeaseStore leases, GatewayRegistry registry, Confirmations confirmations,
            CommandPublisher commands, Clock clock, ApiProperties properties, MeterRegistry meters) {
        this.store = store;
        this.leases = leases;
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

    /** Creates a mapping; {@code lease} null: it lives until deleted, as in api v1. */
    Mono<PortMapAnswer> create(GatewayId gateway, PortMapTarget target, LeaseTerm lease, Idempotency idempotency,
            String requestId) {
        // The gateway's record and the broker probe together: neither writes, and the probe's
        // answer (often a thread hop away) is then off the create's sequential path.
        return Mono.zip(registry.find(gateway), commands.brokerReachable())
                .flatMap(found -> {
                    GatewayRecord record = found.getT1();
                    if (!record.admits(target.addr())) {
                        return Mono.error(ApiException.badRequest("target_addr " + target.addr()
                                + " is outside the lab networks of gateway " + gateway + ": " + record.labNetworks()));
                    }
                    java.util.Optional<String> reserved = record.reservedUse(target.addr());
                    if (reserved.isPresent()) {
                        return Mono.error(ApiException.badRequest("target_addr " + target.addr() + " is "
                                + reserved.get() + ", not a usable lab address"));
                    }
                    return found.getT2() ? Mono.empty() : Mono.error(CommandPublisher.brokerUnavailable());
                })
                .then(Mono.defer(() -> {
                    Instant now = clock.instant();
                    return store.create(gateway, range, target, now, requestId, idempotency, idempotencyTtlMillis,
                            now.plus(republishAfter), lease == null ? null : lease.endFrom(now));
                }))
                .flatMap(creation -> {
                    if (creation instanceof Creation.Created created) {
                        ConnPort port = created.port();
                        return publishAndWait(gateway, port, created.generation(), false,
                                commands.publishCreate(gateway, port, created.generation(), target, requestId),
                                () -> store.undo(gateway, port, created.generation(), null, 0, idempotency))
                                .map(answer -> answer.withLeaseEnd(created.expiresAt()));
                    }
                    if (creation instanceof Creation.Existing existing) {
                        if ("applied".equals(existing.state())) {
                            return Mono.just(PortMapAnswer.ok(Map.of("conn_port", existing.port().value()))
                                    .withLeaseEnd(existing.expiresAt()));
                        }
                        return awaitAnswer(confirmations.register(gateway, existing.port(), existing.generation()),
                                gateway, existing.port(), existing.generation(), false, System.nanoTime())
                                .map(answer -> answer.withLeaseEnd(existing.expiresAt()));
                    }
                    if (creation instanceof Creation.Gone gone) {
                        return Mono.just(replayOfGone(gone, idempotency));
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
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.NOT_FOUND, PortMapAnswer.NO_SUCH_RECORD)))
                .flatMap(found -> commands.requireBroker())
                .then(Mono.defer(() -> {
                    Instant now = clock.instant();
                    return store.remove(gateway, port, now, requestId, now.plus(republishAfter));
                }))
                .flatMap(removal -> removal instanceof Removal.Removing removing
                        ? publishAndWait(gateway, port, removing.generation(), true,
                                commands.publishRemove(gateway, port, removing.generation(), requestId),
                                () -> store.undo(gateway, port, removing.generation(), removing.previousState(),
                                        removing.previousGeneration(), Idempotency.NONE))
                        : Mono.error(new ApiException(HttpStatus.NOT_FOUND, PortMapAnswer.NO_SUCH_RECORD)));
    }

    /** Extends a lease from now: 404 for no live mapping on the port, 409 for a mapping without a lease. */
    Mono<PortMapAnswer> renew(GatewayId gateway, PortMapRequests.Renewal renewal) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            Instant expiresAt = renewal.term().endFrom(now);
            return leases.renew(gateway, renewal.port(), expiresAt, now).map(result -> switch (result) {
                case "renewed" -> PortMapAnswer.ok(Map.of("conn_port", renewal.port().value(),
                        "expires_at", expiresAt.toString()));
                case "no_lease" -> throw new ApiException(HttpStatus.CONFLICT, "The mapping on conn_port "
                        + renewal.port() + " has no lease; only a mapping created with expires_in can be renewed");
                default -> throw new ApiException(HttpStatus.NOT_FOUND, PortMapAnswer.NO_SUCH_RECORD);
            });
        });
    }

    /**
     * A retried POST whose first request's mapping is gone: says what became of it (the first
     * answer, for a create the agent refused) and never names a mapping that took its port since.
     */
    private static PortMapAnswer replayOfGone(Creation.Gone gone, Idempotency idempotency) {
        if ("failed".equals(gone.what())) {
            return PortMapAnswer.failed("The request with Idempotency-Key " + idempotency.sent()
                    + " failed and its port was released: " + PortMapAnswer.reasonOrDefault(gone.reason()), Map.of());
        }
        return new PortMapAnswer(HttpStatus.NOT_FOUND, PortMapAnswer.NO_SUCH_RECORD + ": the mapping Idempotency-Key "
                + idempotency.sent() + " created (conn_port " + gone.port() + ") "
                + ("removing".equals(gone.what()) ? "is being deleted" : "was deleted")
                + "; send a new Idempotency-Key to create another", Map.of());
    }

    /**
     * Publishes the command a script just recorded and waits for the agent. Only a publish the
     * broker certainly never received is undone (503: nothing changed); after anything else that
     * fails, the change stays recorded and the re-publisher finishes it (202).
     */
    private Mono<PortMapAnswer> publishAndWait(GatewayId gateway, ConnPort port, long generation, boolean removal,
            Mono<Void> publish, Supplier<Mono<Boolean>> undo) {
        Confirmations.Waiting waiting = confirmations.register(gateway, port, generation);
        long started = System.nanoTime();
        return publish
                .then(Mono.defer(() -> awaitAnswer(waiting, gateway, port, generation, removal, started)))
                .onErrorResume(failure -> !(failure instanceof ApiException), failure -> neverSent(failure)
                        ? undo.get().map(undone -> {
                                    if (undone) {
                                        throw new ServiceUnavailableException(
                                                "RabbitMQ is unreachable; nothing was changed, retry later");
                                    }
                                    // Another request changed the mapping since: it is not ours to undo.
                                    return removal ? PortMapAnswer.stillPending(port, true) : PortMapAnswer.overtaken(port);
                                })
                                .onErrorResume(undoFailed -> !(undoFailed instanceof ApiException),
                                        undoFailed -> Mono.just(recorded(gateway, port, removal, undoFailed)))
                        : Mono.just(recorded(gateway, port, removal, failure)))
                .doFinally(signal -> waiting.cancel());
    }

    /** The broker refused the connection or the send itself: it never received the command. */
    private static boolean neverSent(Throwable failure) {
        return failure instanceof PublishFailedException published
                && published.reason() == PublishFailedException.Reason.BROKER_UNREACHABLE;
    }

    /** The script's change stands after a later failure: 202, and the re-publisher takes over. */
    private static PortMapAnswer recorded(GatewayId gateway, ConnPort port, boolean removal, Throwable failure) {
        log.warn("{} of {} port {} is recorded but {}; it stays {} and is re-published", removal ? "removal" : "creation",
                gateway, port, failure instanceof TimeoutException ? "its confirm did not come in time" : failure.toString(),
                removal ? "removing" : "pending");
        return PortMapAnswer.stillPending(port, removal);
    }

    private Mono<PortMapAnswer> awaitAnswer(Confirmations.Waiting waiting, GatewayId gateway, ConnPort port,
            long generation, boolean removal, long started) {
        return waiting.answer(applyWait)
                .doOnNext(confirmation -> ackLatency.record(Duration.ofNanos(System.nanoTime() - started)))
                .map(confirmation -> answer(port, confirmation, removal))
                .onErrorResume(TimeoutException.class, e -> settle(gateway, port, generation, removal))
                .doFinally(signal -> waiting.cancel());
    }

    private static PortMapAnswer answer(ConnPort port, Confirmation confirmation, boolean removal) {
        return switch (confirmation.result()) {
            case "applied" -> PortMapAnswer.ok(Map.of("conn_port", port.value()));
            // A create hears "removed" only when a later DELETE finished first.
            case "removed" -> removal ? PortMapAnswer.ok(Map.of()) : PortMapAnswer.overtaken(port);
            case "released" -> PortMapAnswer.failed(PortMapAnswer.reasonOrDefault(confirmation.reason()),
                    PortMapAnswer.content(port, null));
            case "failed" -> PortMapAnswer.failed(PortMapAnswer.reasonOrDefault(confirmation.reason()),
                    PortMapAnswer.content(port, MappingState.FAILED));
            default -> PortMapAnswer.stillPending(port, removal);
        };
    }

    /**
     * The wait is over: a confirmation may have been announced while nobody listened, so read
     * Redis once more. For a create, a mapping of another generation on the port is not the one
     * it made (a DELETE moved it on, or the port was freed and taken again), so it is never named.
     */
    private Mono<PortMapAnswer> settle(GatewayId gateway, ConnPort port, long generation, boolean removal) {
        return store.find(gateway, port)
                .map(mapping -> mapping.generation() == generation ? PortMapAnswer.of(mapping)
                        : removal ? PortMapAnswer.accepted(PortMapAnswer.content(port, mapping.state()))
                        : PortMapAnswer.overtaken(port))
                .switchIfEmpty(Mono.fromSupplier(() -> removal ? PortMapAnswer.ok(Map.of())
                        : PortMapAnswer.failed("The gateway agent refused the mapping; its port was released",
                                PortMapAnswer.content(port, null))));
    }
}
