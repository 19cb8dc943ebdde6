package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.logs.MutableClock;
import org.vlab.ipam.logs.parse.FirewallLineParser;

/**
 * Stopping the forwarding loop. A publish stuck writing to a socket the broker stopped reading
 * (a memory or disk alarm) ignores interrupts, so stopping must cut the publishing, and soon
 * enough for a container's stop grace (Docker's is 10 s), not only when the beans close after it.
 */
class ForwarderLifecycleTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T21:00:00Z"));

    @Test
    void stoppingALoopStuckWhereAnInterruptCannotReachItCutsItsPublishingAndReturnsSoon() {
        CountDownLatch cut = new CountDownLatch(1);
        AtomicBoolean stuck = new AtomicBoolean();
        ForwarderLifecycle lifecycle = new ForwarderLifecycle(forwarder(checkpoint -> {
            stuck.set(true);
            awaitIgnoringInterrupts(cut);
            throw new IllegalStateException("the publisher was closed");
        }), cut::countDown);
        lifecycle.start();
        await().atMost(Duration.ofSeconds(10)).untilTrue(stuck);

        long stopping = System.nanoTime();
        lifecycle.stop();

        assertThat(cut.getCount()).as("publishing cut").isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(5));
        assertThat(lifecycle.isRunning()).isFalse();
    }

    /** As a thread blocked in a socket write: an interrupt is kept for later, the wait goes on. */
    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private LogForwarder forwarder(LineSource.Opener opener) {
        return new LogForwarder(opener, new FirewallLineParser(LogForwarderTests.ALICE, ZoneOffset.UTC, clock),
                RecordingPublisher.confirmingAll(new ScriptedLines()), new MemoryCheckpoints(null),
                LogForwarderTests.ALICE, LogForwarderTests.SETTINGS, clock,
                duration -> Thread.sleep(Math.max(1, duration.toMillis())),
                new ForwarderMetrics(new SimpleMeterRegistry()));
    }
}
