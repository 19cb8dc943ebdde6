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
        Counter failures = RecurringRound.failures(new SimpleMeterRegistry(), "test");
        AtomicInteger rounds = new AtomicInteger();
        try (RecurringRound round = new RecurringRound(Duration.ofMillis(20), "a test round", failures,
                () -> rounds.incrementAndGet() % 2 == 0 ? Mono.empty() : Mono.error(new IllegalStateException("down")))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 6);
        }

        assertThat(failures.count()).isBetween(rounds.get() / 2.0 - 1, rounds.get() / 2.0 + 1).isGreaterThanOrEqualTo(3);
    }

    @Test
    void runsNoRoundOnceClosed() {
        AtomicInteger rounds = new AtomicInteger();
        RecurringRound round = new RecurringRound(Duration.ofMillis(20), "a test round",
                RecurringRound.failures(new SimpleMeterRegistry(), "test"), () -> Mono.fromRunnable(rounds::incrementAndGet));
        await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 2);
        round.close();
        int atClose = rounds.get();

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> rounds.get() == atClose);
    }
}
