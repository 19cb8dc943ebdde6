package org.vlab.ipam.health.cycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.probe.AddressProbes;
import org.vlab.ipam.health.probe.ProbeRunner;
import org.vlab.ipam.health.targets.TargetBook;

/**
 * The worker's meters: probes by kind and outcome, failures of the worker itself by stage
 * (a probe that broke, a snapshot that did not come, a cycle that threw; the outbox counts its
 * own), cycle duration, when the last cycle finished, and gauges of targets, probes in flight
 * and whether ICMP is on.
 */
final class HealthMetrics {

    static final String PROBES = "ipam.health.probes";
    static final String FAILURES = "ipam.health.failures";
    static final String CYCLE = "ipam.health.cycle.duration";

    private final MeterRegistry registry;
    private final Timer cycle;
    private final Counter probeFailures;
    private final Counter cycleFailures;

    HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.cycle = Timer.builder(CYCLE).description("Time from the start of a probe cycle to its last event handed to the outbox")
                .register(registry);
        this.probeFailures = failures("probe", "Probes that broke inside the worker (not the target's fault)");
        this.cycleFailures = failures("cycle", "Cycles that ended with an unexpected error");
    }

    /** Adds the meters read from the book and the runner. */
    HealthMetrics watch(TargetBook book, ProbeRunner runner) {
        FunctionCounter.builder(FAILURES, book, TargetBook::snapshotFailures).tag("stage", "snapshot")
                .description("Snapshot requests that got no usable answer").register(registry);
        Gauge.builder("ipam.health.targets", book, TargetBook::size)
                .description("Distinct addresses probed per cycle").register(registry);
        Gauge.builder("ipam.health.probes.in_flight", runner, ProbeRunner::inFlight)
                .description("Probes running right now").register(registry);
        Gauge.builder("ipam.health.icmp.enabled", runner, r -> r.icmpEnabled() ? 1 : 0)
                .description("1 when ICMP echoes are sent, 0 when probing with TCP only (no NET_RAW)")
                .register(registry);
        return this;
    }

    /** The end of the last finished cycle, in seconds since the epoch (NaN before the first), for staleness alerts. */
    HealthMetrics watch(CycleLoop loop) {
        Gauge.builder("ipam.health.cycle.last.finished", loop,
                l -> l.lastFinished() == null ? Double.NaN : l.lastFinished().toEpochMilli() / 1000.0)
                .baseUnit("seconds").description("When the last probe cycle finished (Unix time)").register(registry);
        return this;
    }

    private Counter failures(String stage, String description) {
        return Counter.builder(FAILURES).tag("stage", stage).description(description).register(registry);
    }

    void record(AddressProbes probes) {
        if (probes.icmp() != null) {
            count("icmp", probes.icmp().outcome());
        }
        for (TcpProbe tcp : probes.tcp()) {
            count("tcp", tcp.outcome());
        }
        probeFailures.increment(probes.failedProbes());
    }

    private void count(String kind, ProbeOutcome outcome) {
        Counter.builder(PROBES).tag("kind", kind).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .description("Probes sent, by kind and outcome").register(registry).increment();
    }

    void cycleFailed() {
        cycleFailures.increment();
    }

    void cycleTook(Duration elapsed) {
        cycle.record(elapsed);
    }
}
