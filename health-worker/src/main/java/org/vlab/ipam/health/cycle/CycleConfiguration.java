package org.vlab.ipam.health.cycle;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.health.HealthWorkerProperties;
import org.vlab.ipam.health.probe.ProbeRunner;
import org.vlab.ipam.health.publish.EventOutbox;
import org.vlab.ipam.health.targets.TargetBook;
import org.vlab.ipam.health.verdict.Verdicts;

/** The cycle, its loop, its health and its meters, wired from the configuration. */
@Configuration(proxyBeanMethods = false)
class CycleConfiguration {

    /** How soon a worker without its first snapshot asks again (the API may start after it). */
    static final Duration FIRST_SNAPSHOT_RETRY = Duration.ofSeconds(10);
    /** Short periods (tests, demos) still give a busy machine this long before the loop counts as stuck. */
    static final Duration STALE_FLOOR = Duration.ofSeconds(30);

    @Bean
    HealthMetrics healthMetrics(MeterRegistry registry, TargetBook book, ProbeRunner runner) {
        return new HealthMetrics(registry).watch(book, runner);
    }

    @Bean
    CycleLoop cycleLoop(HealthWorkerProperties properties, TargetBook book, ProbeRunner runner,
            EventOutbox outbox, HealthMetrics metrics, Clock clock) {
        ProbeCycle cycle = new ProbeCycle(properties.gatewayId(), book, runner,
                new Verdicts(properties.changeAfterCycles()), outbox, metrics, clock);
        String settings = String.format("at most %d probes in flight, %d ms per probe, %s, a verdict changes after %d"
                + " agreeing cycles", properties.probeConcurrency(), properties.probeTimeout().toMillis(),
                runner.icmpEnabled() ? properties.icmpEchoes() + " ICMP echoes and a TCP connect per mapped port"
                        : "TCP connects only (ICMP is off)", properties.changeAfterCycles());
        CycleLoop loop = new CycleLoop(cycle, new CycleSchedule(properties.probePeriod(), FIRST_SNAPSHOT_RETRY),
                metrics, settings, clock);
        metrics.watch(loop);
        return loop;
    }

    /** The {@code cycle} health component (in the liveness group, see application.yaml). */
    @Bean
    CycleHealthIndicator cycleHealthIndicator(CycleLoop loop, HealthWorkerProperties properties, Clock clock) {
        return new CycleHealthIndicator(loop, CycleHealthIndicator.staleAfter(properties.probePeriod(), STALE_FLOOR),
                clock);
    }
}
