package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.LogSource;
import org.vlab.ipam.logs.MutableClock;
import org.vlab.ipam.logs.SampleLines;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.messaging.PublishFailedException;

/** The forwarding loop's decisions, with the log, the broker, the checkpoint and time made up. */
class LogForwarderTests {

    static final GatewayId ALICE = GatewayId.of("alice");
    static final FileIdentity FILE_A = new FileIdentity("8:1", "aaaaaaaaaaaaaaaa");
    static final FileIdentity FILE_B = new FileIdentity("8:2", "bbbbbbbbbbbbbbbb");
    static final Duration POLL = Duration.ofMillis(10);
    static final BatchSettings SETTINGS = new BatchSettings(2, Duration.ofMillis(50), POLL, Duration.ofMillis(200),
            Duration.ofSeconds(1));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final ScriptedLines lines = new ScriptedLines();
    private final List<Duration> waits = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void publishesBatchesInFileOrderAndCheckpointsEachOnlyAfterItsConfirm() throws Exception {
        lines.add(FILE_A, lines(0, 5));
        RecordingPublisher publisher = RecordingPublisher.confirmingAll(lines);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(null);

        runUntilIdle(publisher, checkpoints);

        assertThat(publisher.attempts()).extracting(attempt -> attempt.batch().records().size()).containsExactly(2, 2, 1);
        assertThat(publisher.attempts()).flatExtracting(attempt -> attempt.batch().records())
                .containsExactlyElementsOf(IntStream.range(0, 5).mapToObj(n -> SampleLines.record(n, ALICE)).toList());
        long[] ends = ends(0, 5);
        assertThat(publisher.attempts()).extracting(attempt -> attempt.batch().source()).containsExactly(
                new LogSource(FILE_A.id(), 0, ends[1]), new LogSource(FILE_A.id(), ends[1], ends[3]),
                new LogSource(FILE_A.id(), ends[3], ends[4]));
        assertThat(publisher.attempts()).extracting(RecordingPublisher.Attempt::messageId).containsExactly(
                FILE_A.id() + "@0-" + ends[1], FILE_A.id() + "@" + ends[1] + "-" + ends[3],
                FILE_A.id() + "@" + ends[3] + "-" + ends[4]);
        assertThat(checkpoints.saved()).as("a confirm is recorded with the next pending batch, or while the log idles")
                .containsExactly(
                new Checkpoint(FILE_A, 0, ends[1]), new Checkpoint(FILE_A, ends[1], ends[3]),
                Checkpoint.confirmed(FILE_A, ends[3]), new Checkpoint(FILE_A, ends[3], ends[4]),
                Checkpoint.confirmed(FILE_A, ends[4]));
        assertThat(meters.counter("ipam.logs.records.published").count()).isEqualTo(5);
        assertThat(meters.counter("ipam.logs.lines.read").count()).isEqualTo(5);
    }

    @Test
    void theCheckpointMovesOnlyWhenTheBrokerHasConfirmed() throws Exception {
        lines.add(FILE_A, lines(0, 2));
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        RecordingPublisher publisher = new RecordingPublisher(lines, attempt -> confirm);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(null);
        Thread thread = new Thread(() -> {
            try {
                forwarder(publisher, checkpoints, d -> Thread.sleep(1)).run();
            } catch (InterruptedException e) {
                // stopped by the test
            }
        });
        thread.start();
        try {
            await().until(() -> publisher.attempts().size() == 1);
            assertThat(checkpoints.saved()).containsExactly(new Checkpoint(FILE_A, 0, ends(0, 2)[1]));

            confirm.complete(null);

            await().until(() -> checkpoints.saved().size() == 2);
            assertThat(checkpoints.saved().get(1)).isEqualTo(Checkpoint.confirmed(FILE_A, ends(0, 2)[1]));
        } finally {
            thread.interrupt();
            thread.join();
        }
    }

    @Test
    void whileTheBrokerRefusesItRetriesTheSameBatchWithGrowingWaitsAndReadsNothing() throws Exception {
        lines.add(FILE_A, lines(0, 4));
        RecordingPublisher publisher = new RecordingPublisher(lines, attempt -> attempt <= 5
                ? CompletableFuture.failedFuture(new PublishFailedException(PublishFailedException.Reason.BROKER_UNREACHABLE,
                        "connection refused", null))
                : CompletableFuture.completedFuture(null));
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(null);

        runUntilIdle(publisher, checkpoints);

        List<RecordingPublisher.Attempt> attempts = publisher.attempts();
        assertThat(attempts).hasSize(7);
        assertThat(attempts.subList(0, 6)).extracting(RecordingPublisher.Attempt::messageId).containsOnly(
                attempts.get(0).messageId());
        assertThat(attempts.subList(0, 6)).extracting(RecordingPublisher.Attempt::linesAskedBefore)
                .as("nothing is read while the batch waits").containsOnly(attempts.get(0).linesAskedBefore());
        assertThat(waits).containsSubsequence(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(checkpoints.saved()).last().isEqualTo(Checkpoint.confirmed(FILE_A, ends(0, 4)[3]));
        assertThat(meters.counter("ipam.logs.publish.failures").count()).isEqualTo(5);
    }

    @Test
    void linesWithoutRecordsAreCountedAndCheckpointedWithoutAPublish() throws Exception {
        lines.add(FILE_A, SampleLines.noise(0), "garbage", SampleLines.noise(1));
        RecordingPublisher publisher = RecordingPublisher.confirmingAll(lines);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(null);

        runUntilIdle(publisher, checkpoints);

        assertThat(publisher.attempts()).isEmpty();
        assertThat(checkpoints.saved()).last().extracting(Checkpoint::offset, Checkpoint::pendingEnd)
                .containsExactly(lines(FILE_A, SampleLines.noise(0), "garbage", SampleLines.noise(1)), null);
        assertThat(meters.counter("ipam.logs.lines.skipped", "reason", "not-netfilter").count()).isEqualTo(2);
        assertThat(meters.counter("ipam.logs.lines.skipped", "reason", "not-syslog").count()).isEqualTo(1);
    }

    @Test
    void theBatchLeftPendingByACrashIsPublishedAgainExactlyUnderItsMessageId() throws Exception {
        lines.add(FILE_A, lines(0, 5));
        long[] ends = ends(0, 5);
        RecordingPublisher publisher = RecordingPublisher.confirmingAll(lines);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(new Checkpoint(FILE_A, 0, ends[2]));

        runUntilIdle(publisher, checkpoints);

        assertThat(publisher.attempts()).extracting(RecordingPublisher.Attempt::messageId).first()
                .isEqualTo(FILE_A.id() + "@0-" + ends[2]);
        assertThat(publisher.attempts()).extracting(attempt -> attempt.batch().records().size()).containsExactly(3, 2);
    }

    @Test
    void thePendingBatchKeepsItsRangeAndIdWhenReadingItAgainOutlastsTheLinger() throws Exception {
        long[] ends = ends(0, 5);
        lines.add(FILE_A, lines(0, 1));
        RecordingPublisher publisher = RecordingPublisher.confirmingAll(lines);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(new Checkpoint(FILE_A, 0, ends[3]));
        int[] polls = {0};
        // the pending range's lines come one every few polls, each wait far past the linger
        Pause slowLog = duration -> {
            clock.advance(Duration.ofMinutes(5));
            if (++polls[0] % 3 == 0 && polls[0] <= 12) {
                int n = polls[0] / 3;
                if (n < 5) {
                    lines.add(FILE_A, lines(n, n + 1));
                }
            }
            if (polls[0] > 60) {
                throw new InterruptedException("idle");
            }
        };
        try {
            forwarder(publisher, checkpoints, slowLog).run();
        } catch (InterruptedException e) {
            // stopped once the log was read
        }

        assertThat(publisher.attempts()).extracting(RecordingPublisher.Attempt::messageId).first()
                .isEqualTo(FILE_A.id() + "@0-" + ends[3]);
        assertThat(publisher.attempts().get(0).batch().records()).hasSize(4);
    }

    @Test
    void anErrorInTheLoopStartsTheSessionAgainAndReportsFailingUntilASessionWorks() throws Exception {
        lines.add(FILE_A, lines(0, 2));
        RecordingPublisher publisher = RecordingPublisher.confirmingAll(lines);
        List<Optional<Checkpoint>> opened = new ArrayList<>();
        LineSource.Opener opener = checkpoint -> {
            opened.add(checkpoint);
            if (opened.size() <= ForwardingHealth.FAILED_SESSIONS) {
                throw new StackOverflowError("a bug deep down");
            }
            return lines;
        };
        List<Integer> failedWhileWaiting = new ArrayList<>();
        LogForwarder[] forwarder = new LogForwarder[1];
        Pause pause = duration -> {
            clock.advance(duration);
            failedWhileWaiting.add(forwarder[0].failedSessions());
            if (opened.size() > ForwardingHealth.FAILED_SESSIONS && lines.isEmpty() && !publisher.attempts().isEmpty()) {
                throw new InterruptedException("forwarded");
            }
        };
        forwarder[0] = new LogForwarder(opener, parser(), publisher, new MemoryCheckpoints(null), ALICE, SETTINGS,
                clock, pause, new ForwarderMetrics(meters));

        try {
            forwarder[0].run();
        } catch (InterruptedException e) {
            // stopped once the lines were forwarded
        }

        assertThat(opened).hasSize(ForwardingHealth.FAILED_SESSIONS + 1);
        assertThat(failedWhileWaiting).startsWith(1, 2, 3);
        assertThat(forwarder[0].failedSessions()).as("the working session cleared the failures").isZero();
        assertThat(forwarder[0].failing()).isNull();
        assertThat(publisher.attempts()).hasSize(1);
        assertThat(meters.counter("ipam.logs.session.failures").count()).isEqualTo(ForwardingHealth.FAILED_SESSIONS);
    }

    @Test
    void aBatchNeverSpansTwoFiles() throws Exception {
        lines.add(FILE_A, SampleLines.line(0)).add(FILE_B, SampleLines.line(1));
        RecordingPublisher publisher = RecordingPublisher.confirmingAll(lines);

        runUntilIdle(publisher, new MemoryCheckpoints(null));

        assertThat(publisher.attempts()).extracting(attempt -> attempt.batch().source().fileId())
                .containsExactly(FILE_A.id(), FILE_B.id());
    }

    @Test
    void aBatchThatIsNotFullWaitsTheLingerForMoreLines() throws Exception {
        lines.add(FILE_A, SampleLines.line(0));
        RecordingPublisher publisher = RecordingPublisher.confirmingAll(lines);
        Instant start = clock.instant();

        runUntilIdle(publisher, new MemoryCheckpoints(null));

        assertThat(publisher.attempts()).hasSize(1);
        assertThat(waits.stream().limit(5).reduce(Duration.ZERO, Duration::plus)).isEqualTo(SETTINGS.linger());
        assertThat(clock.instant()).isAfter(start.plus(SETTINGS.linger()));
    }

    @Test
    void aFailedSessionStartsAgainFromTheCheckpoint() throws Exception {
        lines.add(FILE_A, lines(0, 2));
        RecordingPublisher publisher = RecordingPublisher.confirmingAll(lines);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(null);
        List<Optional<Checkpoint>> opened = new ArrayList<>();
        LineSource breaksWhenReadOut = new LineSource() {
            @Override
            public Optional<org.vlab.ipam.logs.tail.LogLine> next() throws IOException {
                Optional<org.vlab.ipam.logs.tail.LogLine> line = lines.next();
                if (line.isEmpty()) {
                    throw new IOException("disk on fire");
                }
                return line;
            }

            @Override
            public long bytesBehind() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
        LineSource.Opener opener = checkpoint -> {
            opened.add(checkpoint);
            return breaksWhenReadOut;
        };
        Pause pause = duration -> {
            clock.advance(duration);
            if (opened.size() >= 2) {
                throw new InterruptedException("the session was started again");
            }
        };

        try {
            new LogForwarder(opener, parser(), publisher, checkpoints, ALICE, SETTINGS, clock, pause,
                    new ForwarderMetrics(meters)).run();
        } catch (InterruptedException e) {
            // stopped by the pause
        }
        assertThat(opened).hasSizeGreaterThanOrEqualTo(2);
        assertThat(opened.get(0)).isEmpty();
        assertThat(opened.get(1)).contains(Checkpoint.confirmed(FILE_A, ends(0, 2)[1]));
    }

    private void runUntilIdle(RecordingPublisher publisher, MemoryCheckpoints checkpoints) {
        int[] idle = {0};
        try {
            forwarder(publisher, checkpoints, stopWhenIdle(idle, lines::isEmpty)).run();
        } catch (InterruptedException e) {
            // stopped by the pause once everything was read
        }
    }

    /** Waits by moving the clock; stops the loop after 20 idle polls once the condition holds. */
    private Pause stopWhenIdle(int[] idle, java.util.function.BooleanSupplier done) {
        return duration -> {
            if (waits.size() > 10_000) {
                throw new AssertionError("the loop does not come to rest");
            }
            waits.add(duration);
            clock.advance(duration);
            idle[0] = done.getAsBoolean() && duration.compareTo(POLL) <= 0 ? idle[0] + 1 : 0;
            if (idle[0] > 20) {
                throw new InterruptedException("idle");
            }
        };
    }

    private LogForwarder forwarder(RecordingPublisher publisher, MemoryCheckpoints checkpoints, Pause pause) {
        return new LogForwarder(checkpoint -> lines, parser(), publisher, checkpoints, ALICE, SETTINGS, clock, pause,
                new ForwarderMetrics(meters));
    }

    private FirewallLineParser parser() {
        return new FirewallLineParser(ALICE, ZoneOffset.UTC, clock);
    }

    private static String[] lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(SampleLines::line).toArray(String[]::new);
    }

    /** The end offset of each sample line from {@code from} on, as {@link ScriptedLines} lays them out. */
    private static long[] ends(int from, int to) {
        long[] ends = new long[to - from];
        long offset = 0;
        for (int n = from; n < to; n++) {
            offset += SampleLines.line(n).length() + 1;
            ends[n - from] = offset;
        }
        return ends;
    }

    private static long lines(FileIdentity file, String... texts) {
        long offset = 0;
        for (String text : texts) {
            offset += text.length() + 1;
        }
        return offset;
    }
}
