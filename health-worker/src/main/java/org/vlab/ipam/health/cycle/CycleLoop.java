package org.vlab.ipam.health.cycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the cycles on one thread of their own: the next cycle is scheduled only when the last
 * one ended, so two never overlap, and an overrunning cycle delays the next instead of
 * piling up. Starts with the application context and stops first when it closes, interrupting
 * a cycle in flight (probes are interruptible; their results are dropped).
 */
final class CycleLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CycleLoop.class);

    private final Cycle cycle;
    private final CycleSchedule schedule;
    private final HealthMetrics metrics;
    private final String settings;
    private volatile ScheduledExecutorService thread;

    /** {@code settings} describes the cycle for the start-up log line. */
    CycleLoop(Cycle cycle, CycleSchedule schedule, HealthMetrics metrics, String settings) {
        this.cycle = cycle;
        this.schedule = schedule;
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread named = new Thread(runnable, "probe-cycle");
                named.setDaemon(true);
                return named;
            });
            thread.execute(this::runCycle);
            log.info("probing every {}: {}", schedule.period(), settings);
        }
    }

    private void runCycle() {
        long started = System.nanoTime();
        boolean hasSnapshot = true;
        try {
            hasSnapshot = cycle.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            if (!isRunning()) {
                return;
            }
            metrics.cycleFailed();
            log.error("probe cycle failed; the next one starts as scheduled", e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        metrics.cycleTook(elapsed);
        if (schedule.overran(elapsed)) {
            log.warn("a probe cycle took {} ms, longer than the period of {}: the next one starts now",
                    elapsed.toMillis(), schedule.period());
        }
        scheduleNext(schedule.pauseAfter(elapsed, hasSnapshot));
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

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
