package org.vlab.ipam.api.portmap;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Mono;

/**
 * Removes the mappings whose lease ran out, on every replica every {@code lease-sweep-interval}:
 * each is claimed atomically (portmap-expire.lua), so of several replicas only one removes it,
 * and removed through the agent like a DELETE, with the reason {@code expired}. A command that
 * cannot be sent now stays pending and {@link PendingCommands} sends it again.
 */
@Component
class LeaseExpiry {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);
    static final String REASON = "expired";
    private static final int CLAIM_LIMIT = 500;

    private final LeaseStore leases;
    private final CommandPublisher commands;
    private final Clock clock;
    private final Duration republishAfter;
    private final RecurringRound rounds;
    private volatile boolean leasesNoted;

    LeaseExpiry(LeaseStore leases, CommandPublisher commands, Clock clock, ApiProperties properties,
            MeterRegistry meters) {
        this.leases = leases;
        this.commands = commands;
        this.clock = clock;
        this.republishAfter = properties.republishAfter();
        this.rounds = new RecurringRound(properties.leaseSweepInterval(), "removing expired leases", meters,
                "lease-expiry", () -> noteLeasedGateways().then(expireDue()));
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        rounds.start();
    }

    /**
     * Until it once succeeds, a pass over every gateway for leases the leased-gateway set does
     * not name (recorded before it existed); after that, rounds visit only the gateways it names.
     */
    private Mono<Void> noteLeasedGateways() {
        return leasesNoted ? Mono.empty() : leases.noteLeasedGateways().doOnSuccess(noted -> leasesNoted = true).then();
    }

    /** One round over every gateway that has had a lease; returns how many mappings this replica claimed for removal. */
    Mono<Long> expireDue() {
        Instant now = clock.instant();
        return leases.leasedGateways()
                .concatMap(gateway -> leases.expireDue(gateway, now, CLAIM_LIMIT, now.plus(republishAfter))
                        .concatMap(expired -> remove(gateway, expired)))
                .count();
    }

    private Mono<LeaseStore.Expired> remove(GatewayId gateway, LeaseStore.Expired expired) {
        log.info("the lease of {} port {} ran out; removing it (generation {})", gateway, expired.port(),
                expired.generation());
        return commands.publishRemove(gateway, expired.port(), expired.generation(), null, REASON)
                .thenReturn(expired)
                .onErrorResume(e -> {
                    log.warn("could not send the removal of expired {} port {}: {}; re-published in {}", gateway,
                            expired.port(), e.getMessage(), republishAfter);
                    return Mono.just(expired);
                });
    }

    /** As shutdown begins, before Redis stops (see {@link PortMapMetrics#stop()}). */
    @EventListener(ContextClosedEvent.class)
    void stop() {
        rounds.close();
    }
}
