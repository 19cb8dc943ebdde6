package org.vlab.ipam.api.portmap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A round of work every {@code period} on this replica, never overlapping the next: a round
 * still running when the next is due makes that one skip; a failed round is logged and counted
 * in {@code ipam.rounds.failed{round}} (a round that keeps failing, such as a replica's lease
 * sweep without Redis, is what an operator alerts on), and the next one runs as usual.
 */
final class RecurringRound implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecurringRound.class);

    private final Duration period;
    private final String what;
    private final Counter failures;
    private final Supplier<Mono<?>> round;
    private Disposable loop;
    private boolean closed;

    /** Registers {@code ipam.rounds.failed{round=name}} now, at 0; the rounds run from {@link #start()}. */
    RecurringRound(Duration period, String what, MeterRegistry meters, String name, Supplier<Mono<?>> round) {
        this.period = period;
        this.what = what;
        this.failures = Counter.builder("ipam.rounds.failed").tag("round", name)
                .description("Background rounds of this replica that failed (each is logged)").register(meters);
        this.round = round;
    }

    /** Starts the rounds, unless closed first (a stop during startup): then nothing starts. */
    synchronized void start() {
        if (closed || loop != null) {
            return;
        }
        loop = Flux.interval(period, period)
                .onBackpressureDrop()
                .concatMap(tick -> round.get()
                        .onErrorResume(e -> {
                            failures.increment();
                            log.warn("{} failed this round: {}", what, e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (loop != null) {
            loop.dispose();
        }
    }
}
