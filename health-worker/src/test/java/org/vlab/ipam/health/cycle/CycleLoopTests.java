package org.vlab.ipam.health.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The loop's timing, with cycles played by the test (their sleeping is the work they stand for). */
class CycleLoopTests {

    private static final Duration PERIOD = Duration.ofMillis(200);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HealthMetrics metrics = new HealthMetrics(registry);
    private CycleLoop loop;

    /** Start and end of one cycle, in nanoseconds. */
    record Span(long start, long end) {
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }

    private void start(Cycle cycle, Duration firstSnapshotRetry) {
        loop = new CycleLoop(cycle, new CycleSchedule(PERIOD, firstSnapshotRetry), metrics, "test", Clock.systemUTC());
        loop.start();
    }

    @Test
    void cyclesNeverOverlapAndAnOverrunningOneDelaysTheNext() {
        List<Span> spans = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        start(() -> {
            long started = System.nanoTime();
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            // the third cycle overruns the period by half
            Thread.sleep(spans.size() == 2 ? PERIOD.toMillis() * 3 / 2 : 20);
            running.decrementAndGet();
            spans.add(new Span(started, System.nanoTime()));
            return true;
        }, PERIOD);

        await().atMost(Duration.ofSeconds(10)).until(() -> spans.size() >= 6);

        assertThat(mostRunning).hasValue(1);
        for (int i = 0; i + 1 < spans.size(); i++) {
            Span span = spans.get(i);
            Span next = spans.get(i + 1);
            assertThat(next.start()).as("cycle %d starts after cycle %d ended", i + 1, i).isGreaterThanOrEqualTo(span.end());
            if (i == 2) {
                assertThat(Duration.ofNanos(next.start() - span.end())).as("right after the overrun")
                        .isLessThan(Duration.ofMillis(100));
            } else {
                assertThat(Duration.ofNanos(next.start() - span.start())).as("one period after cycle %d started", i)
                        .isGreaterThanOrEqualTo(PERIOD.minusMillis(5)).isLessThan(PERIOD.plusMillis(150));
            }
        }
        assertThat(registry.get(HealthMetrics.CYCLE).timer().count()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aCycleThatFailsIsCountedAndTheNextStartsAsScheduled() {
        AtomicInteger runs = new AtomicInteger();
        start(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return true;
        }, PERIOD);

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);

        assertThat(registry.get(HealthMetrics.FAILURES).tag("stage", "cycle").counter().count()).isEqualTo(1.0);
    }

    @Test
    void anErrorThrownByACycleDoesNotEndTheLoop() {
        AtomicInteger runs = new AtomicInteger();
        start(() -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                throw new StackOverflowError("deep");
            }
            if (run == 2) {
                throw new AssertionError("an Error, not an Exception");
            }
            return true;
        }, PERIOD);

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 4);

        assertThat(registry.get(HealthMetrics.FAILURES).tag("stage", "cycle").counter().count()).isEqualTo(2.0);
        assertThat(loop.lastFinished()).isNotNull();
    }

    @Test
    void aLoopWhoseEveryCycleFailsGoesDown() {
        AtomicInteger runs = new AtomicInteger();
        start(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("always");
        }, PERIOD);
        CycleHealthIndicator health = new CycleHealthIndicator(loop, Duration.ofMillis(600), Clock.systemUTC());

        await().atMost(Duration.ofSeconds(5)).until(() -> health.health().getStatus().equals(Status.DOWN));

        assertThat(runs.get()).as("it kept trying").isGreaterThanOrEqualTo(3);
        assertThat(health.health().getDetails()).containsEntry("last_finished_cycle", "none yet");
    }

    @Test
    void healthShowsTheLastFinishedCycleAndGoesDownWhenCyclesStop() {
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> stuck = new CompletableFuture<>();
        start(() -> {
            if (runs.incrementAndGet() == 3) {
                stuck.join(); // a cycle that never ends, as a deadlock would leave it
            }
            return true;
        }, PERIOD);
        CycleHealthIndicator health = new CycleHealthIndicator(loop, Duration.ofMillis(600), Clock.systemUTC());

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 2 && loop.lastFinished() != null);
        Health up = health.health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsEntry("last_finished_cycle", loop.lastFinished().toString())
                .containsEntry("period", "PT0.2S");

        await().atMost(Duration.ofSeconds(5)).until(() -> health.health().getStatus().equals(Status.DOWN));
        assertThat(health.health().getDetails()).containsEntry("reason",
                "no probe cycle finished for more than PT0.6S");
        stuck.complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> health.health().getStatus().equals(Status.UP));
    }

    @Test
    void healthIsDownBeforeStartAndAfterStop() {
        start(() -> true, PERIOD);
        CycleHealthIndicator health = new CycleHealthIndicator(loop, Duration.ofSeconds(10), Clock.systemUTC());
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        loop.stop();

        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(CycleHealthIndicator.staleAfter(Duration.ofSeconds(300), Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofSeconds(900));
        assertThat(CycleHealthIndicator.staleAfter(Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withoutASnapshotItRetriesSoonerThanThePeriod() {
        AtomicInteger runs = new AtomicInteger();
        loop = new CycleLoop(() -> {
            runs.incrementAndGet();
            return false;
        }, new CycleSchedule(Duration.ofSeconds(60), Duration.ofMillis(50)), metrics, "test", Clock.systemUTC());
        loop.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
    }

    @Test
    void stoppingInterruptsTheCycleInFlightAndRunsNoMore() {
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        start(() -> {
            runs.incrementAndGet();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return true;
        }, PERIOD);
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);

        long started = System.nanoTime();
        loop.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(interrupted).isTrue();
        assertThat(loop.isRunning()).isFalse();
        assertThat(runs).hasValue(1);
    }
}
