package org.vlab.ipam.api.portmap;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Heals lost commands: a mapping still pending (or removing) {@code republish-after} after its
 * last command gets its command again, until the agent answers. Each due mapping is claimed
 * atomically, so of several replicas only one re-publishes it; a round never overlaps the next.
 * Rounds visit only the gateways of {@link PendingGateways} (an idle fleet costs one read per
 * round), and every {@value #FULL_PASS_EVERY}th round, the first included, visits every gateway:
 * it finds what a replica recorded but crashed before naming, or an older version never named.
 */
@Component
class PendingCommands {

    private static final Logger log = LoggerFactory.getLogger(PendingCommands.class);
    private static final int CLAIM_LIMIT = 500;
    static final int FULL_PASS_EVERY = 12;

    private final PortMapStore store;
    private final PendingGateways pendingGateways;
    private final CommandPublisher commands;
    private final Clock clock;
    private final Duration republishAfter;
    private final AtomicLong rounds = new AtomicLong();
    private final RecurringRound loop;

    PendingCommands(PortMapStore store, PendingGateways pendingGateways, CommandPublisher commands, Clock clock,
            ApiProperties properties, MeterRegistry meters) {
        this.store = store;
        this.pendingGateways = pendingGateways;
        this.commands = commands;
        this.clock = clock;
        this.republishAfter = properties.republishAfter();
        Duration period = republishAfter.dividedBy(3).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : republishAfter.dividedBy(3);
        this.loop = new RecurringRound(period, "re-publishing pending commands", meters, "pending-commands",
                () -> republishDue(rounds.getAndIncrement() % FULL_PASS_EVERY == 0));
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        loop.start();
    }

    /**
     * One round, over every gateway ({@code full}) or those that may have pending commands;
     * returns how many commands were re-published.
     */
    Mono<Long> republishDue(boolean full) {
        Instant now = clock.instant();
        return (full ? store.gateways() : pendingGateways.members())
                .concatMap(gateway -> store.claimDue(gateway, now, now.plus(republishAfter), CLAIM_LIMIT)
                        .flatMapMany(due -> keepNamed(gateway, due, full).thenMany(Flux.fromIterable(due.ports())))
                        .concatMap(port -> store.find(gateway, port))
                        .concatMap(mapping -> republish(gateway, mapping)))
                .count();
    }

    /** A gateway with pending commands stays in the set (a full pass adds it); one without leaves it. */
    private Mono<Void> keepNamed(GatewayId gateway, PortMapStore.Due due, boolean full) {
        if (due.pending() > 0) {
            return full ? pendingGateways.note(gateway) : Mono.empty();
        }
        return full ? Mono.empty() : pendingGateways.forgetIfIdle(gateway);
    }

    private Mono<Mapping> republish(GatewayId gateway, Mapping mapping) {
        return commands.publish(gateway, mapping, null)
                .thenReturn(mapping)
                .doOnNext(done -> log.info("re-published the {} command for {} port {} (generation {})",
                        mapping.stateForAgent(), gateway, mapping.connPort(), mapping.generation()))
                .onErrorResume(e -> {
                    log.warn("could not re-publish the command for {} port {}: {}; trying again in {}", gateway,
                            mapping.connPort(), e.getMessage(), republishAfter);
                    return Mono.empty();
                });
    }

    /** As shutdown begins, before Redis stops (see {@link PortMapMetrics#stop()}). */
    @EventListener(ContextClosedEvent.class)
    void stop() {
        loop.close();
    }
}
