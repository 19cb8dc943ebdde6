package org.vlab.ipam.health.cycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the cycles on one thread of their own: the next cycle is scheduled only when the last
 * one ended, so two never overlap, and an overrunning cycle delays the next instead of
 * piling up. Whatever a cycle throws (an Error too), the next one is scheduled: the loop ends
 * only when the worker stops. Starts with the application context and stops first when it
 * closes, interrupting a cycle in flight (probes are interruptible; their results are dropped).
 * It remembers when the last cycle ran to its end, for the health indicator that notices a
 * stuck loop (or one whose every cycle fails).
 */
final class CycleLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CycleLoop.class);

    private final Cycle cycle;
    private final CycleSchedule schedule;
    private final HealthMetrics metrics;
    private final String settings;
    private final Clock clock;
    private volatile ScheduledExecutorService thread;
    private volatile Instant startedAt;
    private volatile Instant lastFinished;

    /** {@code settings} describes the cycle for the start-up log line. */
    CycleLoop(Cycle cycle, CycleSchedule schedule, HealthMetrics metrics, String settings, Clock clock) {
        this.cycle = cycle;
        this.schedule = schedule;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread named = new Thread(runnable, "probe-cycle");
                named.setDaemon(true);
                return named;
            });
            startedAt = clock.instant();
            thread.execute(this::runCycle);
            log.info("probing every {}: {}", schedule.period(), settings);
        }
    }

    private void runCycle() {
        long started = System.nanoTime();
        boolean hasSnapshot = true;
        boolean completed = false;
        try {
            hasSnapshot = cycle.run();
            completed = true;
        } catch (InterruptedException e) {
            // The worker is stopping (stop() interrupts only after isRunning() turned false).
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // An Error too: a dead cycle thread would stop every later cycle without a word.
            if (isRunning()) {
                metrics.cycleFailed();
                log.error("probe cycle failed; the next one starts as scheduled", e);
            }
        } finally {
            if (isRunning()) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                finished(elapsed, completed);
                scheduleNext(schedule.pauseAfter(elapsed, hasSnapshot));
            }
        }
    }

    /** A cycle that threw is timed but does not count as finished: failing every time, the loop goes DOWN too. */
    private void finished(Duration elapsed, boolean completed) {
        try {
            if (completed) {
                lastFinished = clock.instant();
            }
            metrics.cycleTook(elapsed);
            if (schedule.overran(elapsed)) {
                log.warn("a probe cycle took {} ms, longer than the period of {}: the next one starts now",
                        elapsed.toMillis(), schedule.period());
            }
        } catch (RuntimeException e) {
            log.warn("could not record the end of a probe cycle", e);
        }
    }

    private synchronized void scheduleNext(Duration pause) {
        if (thread != null && !thread.isShutdown()) {
            thread.schedule(this::runCycle, pause.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = thread;
            thread = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                if (!stopping.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("the probe cycle did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** When the last cycle ended, or null before the first did. */
    Instant lastFinished() {
        return lastFinished;
    }

    /** When the loop started, or null before. */
    Instant startedAt() {
        return startedAt;
    }

    Duration period() {
        return schedule.period();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
