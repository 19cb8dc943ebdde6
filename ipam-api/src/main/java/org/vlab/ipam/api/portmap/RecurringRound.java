package org.vlab.ipam.api.portmap;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A round of work every {@code period} on this replica, never overlapping the next: a round
 * still running when the next is due makes that one skip; a failed round is logged, and the
 * next one runs as usual.
 */
final class RecurringRound implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecurringRound.class);

    private final Disposable loop;

    RecurringRound(Duration period, String what, Supplier<Mono<?>> round) {
        this.loop = Flux.interval(period, period)
                .onBackpressureDrop()
                .concatMap(tick -> round.get()
                        .onErrorResume(e -> {
                            log.warn("{} failed this round: {}", what, e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void close() {
        loop.dispose();
    }
}
