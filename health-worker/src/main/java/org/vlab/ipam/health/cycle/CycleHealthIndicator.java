package org.vlab.ipam.health.cycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code cycle} health component: UP while cycles keep finishing, DOWN once none finished
 * for {@code staleAfter} (a stuck cycle, or a loop that stopped), so the liveness probe, which
 * includes it, gets a frozen worker restarted. Details name the last finished cycle.
 */
final class CycleHealthIndicator implements HealthIndicator {

    private final CycleLoop loop;
    private final Duration staleAfter;
    private final Clock clock;

    CycleHealthIndicator(CycleLoop loop, Duration staleAfter, Clock clock) {
        this.loop = loop;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    /** How long without a finished cycle counts as stuck: three periods, and never less than {@code floor}. */
    static Duration staleAfter(Duration period, Duration floor) {
        Duration threePeriods = period.multipliedBy(3);
        return threePeriods.compareTo(floor) < 0 ? floor : threePeriods;
    }

    @Override
    public Health health() {
        Instant last = loop.lastFinished();
        Instant since = last != null ? last : loop.startedAt();
        Health.Builder health = since == null || !loop.isRunning() ? Health.down().withDetail("reason", "not running")
                : Duration.between(since, clock.instant()).compareTo(staleAfter) > 0
                        ? Health.down().withDetail("reason", "no probe cycle finished for more than " + staleAfter)
                        : Health.up();
        return health.withDetail("last_finished_cycle", last == null ? "none yet" : last.toString())
                .withDetail("period", loop.period().toString()).build();
    }
}
