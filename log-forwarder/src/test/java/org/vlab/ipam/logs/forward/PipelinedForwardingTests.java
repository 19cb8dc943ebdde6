package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.logs.MutableClock;
import org.vlab.ipam.logs.SampleLines;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.messaging.PublishFailedException;

/** Several batches in flight: the checkpoint passes only the confirmed prefix, and a failure sends again in order. */
class PipelinedForwardingTests {

    private static final BatchSettings THREE_IN_FLIGHT = new BatchSettings(2, Duration.ofMillis(50),
            LogForwarderTests.POLL, Duration.ofMillis(200), Duration.ofSeconds(1), 3);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    final ScriptedLines lines = new ScriptedLines();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<CompletableFuture<Void>> confirms = new CopyOnWriteArrayList<>();
    private final RecordingPublisher publisher = new RecordingPublisher(lines, attempt -> {
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        confirms.add(confirm);
        return confirm;
    });
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join();
        }
    }

    @Test
    void publishesUpToTheWindowBeforeAnyConfirmAndRecordsEveryPendingBatch() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 8));
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(null));
        long[] ends = ends(8);

        await().until(() -> publisher.attempts().size() == 3);

        assertThat(publisher.attempts()).extracting(RecordingPublisher.Attempt::messageId).containsExactly(
                id(0, ends[1]), id(ends[1], ends[3]), id(ends[3], ends[5]));
        assertThat(checkpoints.saved()).last().isEqualTo(
                new Checkpoint(LogForwarderTests.FILE_A, 0, List.of(ends[1], ends[3], ends[5]), null));
        assertThat(lines.isEmpty()).as("the fourth batch waits for room in the window").isFalse();
    }

    @Test
    void aBatchThatWasNotRecordedAheadIsRecordedBeforeItIsPublished() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 6));
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(null));
        long[] ends = ends(8);
        await().until(() -> confirms.size() == 3);
        confirms.forEach(confirm -> confirm.complete(null));
        await().until(() -> checkpoints.load().equals(Optional.of(Checkpoint.confirmed(LogForwarderTests.FILE_A, ends[5]))));

        lines.add(LogForwarderTests.FILE_A, lines(6, 8));

        await().until(() -> publisher.attempts().size() == 4);
        assertThat(checkpoints.saved()).as("written before the publish").last()
                .isEqualTo(new Checkpoint(LogForwarderTests.FILE_A, ends[5], List.of(ends[7]), null));
    }

    @Test
    void confirmsOutOfOrderMoveTheCheckpointOnlyOverTheConfirmedPrefix() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 4));
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(null));
        long[] ends = ends(4);
        await().until(() -> confirms.size() == 2);

        confirms.get(1).complete(null);
        int asked = lines.asked.get();
        await().until(() -> lines.asked.get() > asked + 5); // the idle loop took the confirms in several times

        assertThat(checkpoints.saved()).allSatisfy(saved -> assertThat(saved.offset()).isZero());
        assertThat(meters.counter("ipam.logs.records.published").count()).isZero();

        confirms.get(0).complete(null);

        await().until(() -> checkpoints.load().equals(Optional.of(Checkpoint.confirmed(LogForwarderTests.FILE_A, ends[3]))));
        assertThat(publisher.attempts()).hasSize(2);
        assertThat(meters.counter("ipam.logs.records.published").count()).isEqualTo(4);
    }

    @Test
    void aNackPublishesAgainFromTheFirstUnconfirmedBatchInOrderUnderTheSameIds() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 6));
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(null));
        long[] ends = ends(6);
        await().until(() -> confirms.size() == 3);

        confirms.get(0).complete(null);
        confirms.get(2).complete(null);
        confirms.get(1).completeExceptionally(new PublishFailedException(PublishFailedException.Reason.REFUSED,
                "broker refused", null));

        await().until(() -> confirms.size() == 5);
        assertThat(publisher.attempts()).extracting(RecordingPublisher.Attempt::messageId).containsExactly(
                id(0, ends[1]), id(ends[1], ends[3]), id(ends[3], ends[5]), id(ends[1], ends[3]), id(ends[3], ends[5]));
        assertThat(checkpoints.saved()).as("the checkpoint never passes the batch sent again")
                .allSatisfy(saved -> assertThat(saved.offset()).isLessThanOrEqualTo(ends[1]));

        confirms.get(4).complete(null);
        confirms.get(3).complete(null);

        await().until(() -> checkpoints.load().equals(Optional.of(Checkpoint.confirmed(LogForwarderTests.FILE_A, ends[5]))));
        assertThat(meters.counter("ipam.logs.publish.failures").count()).isEqualTo(1);
    }

    @Test
    void nothingIsSentPastABatchThatFailedAtOnceUntilItIsSentAgain() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 6));
        RecordingPublisher noConnectionFirst = new RecordingPublisher(lines, attempt -> attempt == 1
                ? CompletableFuture.failedFuture(new PublishFailedException(
                        PublishFailedException.Reason.BROKER_UNREACHABLE, "connection refused", null))
                : CompletableFuture.completedFuture(null));
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(null), noConnectionFirst);
        long[] ends = ends(6);

        await().until(() -> checkpoints.load().equals(Optional.of(Checkpoint.confirmed(LogForwarderTests.FILE_A, ends[5]))));

        assertThat(noConnectionFirst.attempts()).extracting(RecordingPublisher.Attempt::messageId).containsExactly(
                id(0, ends[1]), id(0, ends[1]), id(ends[1], ends[3]), id(ends[3], ends[5]));
    }

    @Test
    void everyBatchLeftPendingByACrashIsPublishedAgainExactlyUnderItsMessageId() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 8));
        long[] ends = ends(8);
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(
                new Checkpoint(LogForwarderTests.FILE_A, 0, List.of(ends[2], ends[3], ends[6]), null)));

        await().until(() -> publisher.attempts().size() == 3);

        assertThat(publisher.attempts()).extracting(RecordingPublisher.Attempt::messageId).containsExactly(
                id(0, ends[2]), id(ends[2], ends[3]), id(ends[3], ends[6]));
        assertThat(checkpoints.saved()).as("the checkpoint loaded records them already").isEmpty();
    }

    @Test
    void batchesReadyTogetherAreRecordedAsPendingWithOneCheckpointWriteBeforeAnyIsPublished() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 6));
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(null));
        long[] ends = ends(6);

        await().until(() -> publisher.attempts().size() == 3);

        assertThat(checkpoints.saved()).containsExactly(
                new Checkpoint(LogForwarderTests.FILE_A, 0, List.of(ends[1], ends[3], ends[5]), null));
        assertThat(publisher.attempts()).as("every line was read before the first publish")
                .allSatisfy(attempt -> assertThat(attempt.linesAskedBefore()).isGreaterThanOrEqualTo(6));
    }

    @Test
    void confirmsThatArriveTogetherMoveTheCheckpointWithOneWrite() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 6));
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(null));
        long[] ends = ends(6);
        await().until(() -> confirms.size() == 3);

        confirms.get(2).complete(null);
        confirms.get(1).complete(null);
        confirms.get(0).complete(null);

        await().until(() -> checkpoints.load().equals(Optional.of(Checkpoint.confirmed(LogForwarderTests.FILE_A, ends[5]))));
        assertThat(checkpoints.saved()).containsExactly(
                new Checkpoint(LogForwarderTests.FILE_A, 0, List.of(ends[1], ends[3], ends[5]), null),
                Checkpoint.confirmed(LogForwarderTests.FILE_A, ends[5]));
    }

    @Test
    void aCrashBetweenTheGroupsCheckpointWriteAndItsPublishesReplaysTheWholeGroup() {
        lines.add(LogForwarderTests.FILE_A, lines(0, 8));
        long[] ends = ends(8);
        MemoryCheckpoints written = new MemoryCheckpoints(null).afterEachSave(checkpoint -> {
            throw new Error("the process dies right after the checkpoint write");
        });
        start(written, lines, publisher);
        await().until(() -> !written.saved().isEmpty());

        ScriptedLines afterRestart = new ScriptedLines().add(LogForwarderTests.FILE_A, lines(0, 8));
        RecordingPublisher restarted = RecordingPublisher.confirmingAll(afterRestart);
        MemoryCheckpoints checkpoints = start(new MemoryCheckpoints(written.load().orElseThrow()), afterRestart,
                restarted);

        await().until(() -> checkpoints.load().equals(Optional.of(Checkpoint.confirmed(LogForwarderTests.FILE_A, ends[7]))));
        // the write records every batch taken then: the window's three when read on the forwarding
        // thread; with a reading thread, those it had cut, up to a window's worth behind the window
        Checkpoint group = written.saved().get(0);
        assertThat(group.offset()).isZero();
        assertThat(List.of(ends[1], ends[3], ends[5], ends[7])).startsWith(group.pendingEnds().toArray(Long[]::new));
        assertThat(group.pendingEnds()).isNotEmpty();
        assertThat(publisher.attempts()).as("nothing published before the crash").isEmpty();
        assertThat(restarted.attempts()).extracting(RecordingPublisher.Attempt::messageId).containsExactly(
                id(0, ends[1]), id(ends[1], ends[3]), id(ends[3], ends[5]), id(ends[5], ends[7]));
    }

    /** Three batches in flight, each cut on the forwarding thread. */
    BatchSettings settings() {
        return THREE_IN_FLIGHT;
    }

    private MemoryCheckpoints start(MemoryCheckpoints checkpoints) {
        return start(checkpoints, publisher);
    }

    private MemoryCheckpoints start(MemoryCheckpoints checkpoints, RecordingPublisher publisher) {
        start(checkpoints, lines, publisher);
        return checkpoints;
    }

    <S extends CheckpointStore> S start(S checkpoints, ScriptedLines lines, RecordingPublisher publisher) {
        LogForwarder forwarder = new LogForwarder(checkpoint -> lines,
                new FirewallLineParser(LogForwarderTests.ALICE, ZoneOffset.UTC, clock), publisher, checkpoints,
                LogForwarderTests.ALICE, settings(), clock, duration -> {
                    clock.advance(duration);
                    Thread.sleep(1);
                }, new ForwarderMetrics(meters));
        Thread thread = new Thread(() -> {
            try {
                forwarder.run();
            } catch (InterruptedException e) {
                // stopped by the test
            }
        });
        threads.add(thread);
        thread.start();
        return checkpoints;
    }

    static String id(long start, long end) {
        return LogForwarderTests.FILE_A.id() + "@" + start + "-" + end;
    }

    static String[] lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(SampleLines::line).toArray(String[]::new);
    }

    static long[] ends(int count) {
        long[] ends = new long[count];
        long offset = 0;
        for (int n = 0; n < count; n++) {
            offset += SampleLines.line(n).length() + 1;
            ends[n] = offset;
        }
        return ends;
    }
}
