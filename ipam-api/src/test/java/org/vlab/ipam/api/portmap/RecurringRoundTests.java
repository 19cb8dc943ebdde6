package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class RecurringRoundTests {

    @Test
    void countsEachFailedRoundAndKeepsRunningTheNextOnes() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicInteger rounds = new AtomicInteger();
        try (RecurringRound round = new RecurringRound(Duration.ofMillis(20), "a test round", meters, "test",
                () -> rounds.incrementAndGet() % 2 == 0 ? Mono.empty() : Mono.error(new IllegalStateException("down")))) {
            round.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 6);
        }

        Counter failures = meters.get("ipam.rounds.failed").tag("round", "test").counter();
        assertThat(failures.count()).isBetween(rounds.get() / 2.0 - 1, rounds.get() / 2.0 + 1).isGreaterThanOrEqualTo(3);
    }

    @Test
    void runsNoRoundOnceClosed() {
        AtomicInteger rounds = new AtomicInteger();
        RecurringRound round = new RecurringRound(Duration.ofMillis(20), "a test round", new SimpleMeterRegistry(), "test",
                () -> Mono.fromRunnable(rounds::incrementAndGet));
        round.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 2);
        round.close();
        int atClose = rounds.get();

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> rounds.get() == atClose);
    }

    @Test
    void startsNothingWhenClosedFirst() {
        AtomicInteger rounds = new AtomicInteger();
        RecurringRound round = new RecurringRound(Duration.ofMillis(20), "a test round", new SimpleMeterRegistry(), "test",
                () -> Mono.fromRunnable(rounds::incrementAndGet));
        round.close();
        round.start();

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> rounds.get() == 0);
    }
}
