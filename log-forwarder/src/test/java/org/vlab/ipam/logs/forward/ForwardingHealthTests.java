package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.vlab.ipam.logs.MutableClock;
import org.vlab.ipam.logs.parse.FirewallLineParser;

/** The forwarding health component: a loop that dies, or keeps failing, is never quiet. */
class ForwardingHealthTests {

    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-27T12:00:00Z"));

    @Test
    void aLoopThatDiesTurnsHealthDown() {
        // even the failure handling fails: the error escapes the loop
        Pause broken = duration -> {
            throw new OutOfMemoryError("no room for the back-off");
        };
        ForwarderLifecycle lifecycle = lifecycle(checkpoint -> {
            throw new IllegalStateException("cannot open");
        }, broken);
        ForwardingHealth health = new ForwardingHealth(lifecycle, lifecycle.forwarder());

        lifecycle.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> lifecycle.died() != null);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails().get("error").toString()).contains("no room for the back-off");
        } finally {
            lifecycle.stop();
        }
    }

    @Test
    void sessionsFailingInARowTurnHealthDownWithTheReason() {
        ForwarderLifecycle lifecycle = lifecycle(checkpoint -> {
            throw new IllegalStateException("the log cannot be read");
        }, duration -> Thread.sleep(1));
        ForwardingHealth health = new ForwardingHealth(lifecycle, lifecycle.forwarder());

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        lifecycle.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.DOWN));
            assertThat(health.health().getDetails().get("error").toString()).contains("the log cannot be read");
            assertThat(lifecycle.died()).isNull();
        } finally {
            lifecycle.stop();
        }
    }

    private ForwarderLifecycle lifecycle(LineSource.Opener opener, Pause pause) {
        FirewallLineParser parser = new FirewallLineParser(LogForwarderTests.ALICE, ZoneOffset.UTC, clock);
        return new ForwarderLifecycle(new LogForwarder(opener, parser, RecordingPublisher.confirmingAll(new ScriptedLines()),
                new MemoryCheckpoints(null), LogForwarderTests.ALICE, LogForwarderTests.SETTINGS, clock, pause,
                new ForwarderMetrics(new SimpleMeterRegistry())));
    }
}
