package org.vlab.ipam.api.portmap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.gateway.GatewayRecord;
import org.vlab.ipam.api.gateway.GatewayRegistry;
import org.vlab.ipam.api.portmap.PortMapStore.Creation;
import org.vlab.ipam.api.portmap.PortMapStore.Idempotency;
import org.vlab.ipam.api.portmap.PortMapStore.Removal;
import org.vlab.ipam.api.web.ApiException;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.events.PortMapTarget;
import reactor.core.publisher.Mono;

/**
 * Creates and removes port maps: records the intent in Redis, sends the command, and waits a
 * bounded time for the agent's answer ({@link CommandRoundTrip}). 503 means nothing was
 * written: a command the broker never received is undone; once the command may have reached
 * it, the change stands (202).
 */
@Service
class PortMapService {

    private final PortMapStore store;
    private final LeaseStore leases;
    private final GatewayRegistry registry;
    private final CommandPublisher commands;
    private final CommandRoundTrip roundTrip;
    private final Clock clock;
    private final PortRange range;
    private final Duration republishAfter;
    private final long idempotencyTtlMillis;

    PortMapService(PortMapStore store, LeaseStore leases, GatewayRegistry registry, CommandPublisher commands,
            CommandRoundTrip roundTrip, Clock clock, ApiProperties properties) {
        this.store = store;
        this.leases = leases;
        this.registry = registry;
        this.commands = commands;
        this.roundTrip = roundTrip;
        this.clock = clock;
        this.range = new PortRange(properties.portMin(), properties.portMax());
        this.republishAfter = properties.republishAfter();
        this.idempotencyTtlMillis = properties.idempotencyTtl().toMillis();
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
                        return roundTrip.publishAndWait(gateway, port, created.generation(), false,
                                commands.publishCreate(gateway, port, created.generation(), target, requestId),
                                () -> store.undoCreate(gateway, port, created.generation(), idempotency))
                                .map(answer -> answer.withLeaseEnd(created.expiresAt()));
                    }
                    if (creation instanceof Creation.Existing existing) {
                        // failed: refused by its agent after it was applied (GET says so), and kept; api-v1's
                        // replay is the first answer, and its 500 would say the mapping and its port were released
                        if ("applied".equals(existing.state()) || "failed".equals(existing.state())) {
                            return Mono.just(PortMapAnswer.ok(Map.of("conn_port", existing.port().value()))
                                    .withLeaseEnd(existing.expiresAt()));
                        }
                        return roundTrip.await(gateway, existing.port(), existing.generation(), false)
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
                        ? roundTrip.publishAndWait(gateway, port, removing.generation(), true,
                                commands.publishRemove(gateway, port, removing.generation(), requestId),
                                () -> store.undoRemove(gateway, port, removing))
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
}
