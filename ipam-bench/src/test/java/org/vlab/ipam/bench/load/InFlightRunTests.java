package org.vlab.ipam.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.bench.stats.RunSummary;

class InFlightRunTests {

    private static final Executor LATER = CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS);

    @Test
    void startsEveryIndexOnceAndNeverMoreThanInFlightAtATime() throws InterruptedException {
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<Integer> started = ConcurrentHashMap.newKeySet();
        RunSummary summary = InFlightRun.run("test", 4, 60, index -> {
            assertThat(started.add(index)).as("index %d started twice", index).isTrue();
            most.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                outstanding.decrementAndGet();
                return (String) null;
            }, LATER);
        }, 30);
        assertThat(started).hasSize(60).allMatch(index -> index >= 0 && index < 60);
        assertThat(most.get()).isEqualTo(4);
        assertThat(summary.succeeded()).isEqualTo(60);
        assertThat(summary.failures()).isEmpty();
    }

    @Test
    void countsFailuresByOutcomeAndLeavesThemOutOfTheLatencies() throws InterruptedException {
        RunSummary summary = InFlightRun.run("test", 3, 10, index -> index % 5 == 0
                ? CompletableFuture.completedFuture("HTTP 202")
                : index == 7 ? CompletableFuture.failedFuture(new java.io.IOException("reset"))
                : CompletableFuture.completedFuture(null), 30);
        assertThat(summary.succeeded()).isEqualTo(7);
        assertThat(summary.failures()).isEqualTo(Map.of("HTTP 202", 2, "IOException", 1));
    }

    @Test
    void anOperationThatThrowsCountsAsFailedAndTheRunGoesOn() throws InterruptedException {
        RunSummary summary = InFlightRun.run("test", 2, 5, index -> {
            if (index == 1) {
                throw new IllegalStateException("no channel");
            }
            return CompletableFuture.completedFuture(null);
        }, 30);
        assertThat(summary.succeeded()).isEqualTo(4);
        assertThat(summary.failures()).isEqualTo(Map.of("IllegalStateException", 1));
    }

    @Test
    void failsWhenOperationsAreStillOutstandingAtTheTimeout() {
        assertThatThrownBy(() -> InFlightRun.run("stuck", 2, 3, index -> new CompletableFuture<>(), 1))
                .hasMessageContaining("3 of 3 operations still outstanding after 1 s");
    }
}
