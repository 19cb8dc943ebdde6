package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.logs.forward.ConfirmWindowTests.FILE_A;
import static org.vlab.ipam.logs.forward.ConfirmWindowTests.FILE_B;
import static org.vlab.ipam.logs.forward.ConfirmWindowTests.batch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.logs.SampleLines;

/**
 * Which of the batches taken together go out as one group, and which checkpoint write records
 * them before they are published (the broker here confirms each batch at once).
 */
class ForwardingSessionTests {

    private final Batch first = batch(FILE_A, 0, 100);
    private final Batch second = batch(FILE_A, 100, 250);
    private final Batch third = batch(FILE_A, 250, 300);

    @Test
    void aGroupTakesConsecutiveBatchesUpToTheRoomInTheWindow() {
        assertThat(ForwardingSession.group(List.of(first, second, third), 3)).containsExactly(first, second, third);
        assertThat(ForwardingSession.group(List.of(first, second, third), 2)).containsExactly(first, second);
        assertThat(ForwardingSession.group(List.of(first, second, third), 1)).containsExactly(first);
    }

    @Test
    void aGroupEndsWhereTheNextBatchIsOfAnotherFileOrDoesNotFollowOn() {
        assertThat(ForwardingSession.group(List.of(first, batch(FILE_B, 100, 200), second), 3)).containsExactly(first);
        assertThat(ForwardingSession.group(List.of(first, second, batch(FILE_A, 260, 300)), 3))
                .containsExactly(first, second);
    }

    @Test
    void theBatchesBehindTheWindowAreRecordedWithTheFirstGroupAndPublishedWithoutAWriteOfTheirOwn() throws Exception {
        List<Batch> batches = consecutive(5);
        ForwardingSession session = session(null, 3);

        session.forward(batches);

        assertThat(events).containsExactly(
                "write " + new Checkpoint(FILE_A, 0, List.of(100L, 200L, 300L, 400L, 500L), null),
                "json 0-100", "json 100-200", "json 200-300", "send 0-100", "send 100-200", "send 200-300",
                "json 300-400", "json 400-500", "send 300-400", "send 400-500");
    }

    @Test
    void aBatchNotRecordedAheadIsRecordedBeforeItIsPublished() throws Exception {
        List<Batch> batches = consecutive(4);
        ForwardingSession session = session(null, 3);
        session.forward(batches.subList(0, 3));

        session.forward(batches.subList(3, 4));

        assertThat(events).containsExactly(
                "write " + new Checkpoint(FILE_A, 0, List.of(100L, 200L, 300L), null),
                "json 0-100", "json 100-200", "json 200-300", "send 0-100", "send 100-200", "send 200-300",
                "write " + new Checkpoint(FILE_A, 300, List.of(400L), null), "json 300-400", "send 300-400");
    }

    @Test
    void batchesTheLoadedCheckpointLeftPendingArePublishedAgainWithoutAWrite() throws Exception {
        List<Batch> batches = consecutive(2);
        ForwardingSession session = session(new Checkpoint(FILE_A, 0, List.of(100L, 200L), null), 3);

        session.forward(batches);

        assertThat(events).containsExactly("json 0-100", "json 100-200", "send 0-100", "send 100-200");
    }

    @Test
    void aBatchThatIsNotExactlyARecordedRangeIsRecordedFirst() throws Exception {
        List<Batch> batches = consecutive(3);
        ForwardingSession ending = session(new Checkpoint(FILE_A, 0, List.of(300L), null), 3);
        ending.forward(batches.subList(2, 3));
        ForwardingSession starting = session(new Checkpoint(FILE_A, 0, List.of(200L), null), 3);
        starting.forward(batches.subList(0, 1));
        ForwardingSession spanning = session(new Checkpoint(FILE_A, 0, List.of(100L, 200L), null), 3);
        spanning.forward(List.of(new Batch(FILE_A, 0, 200, batches.get(0).records(), 1)));

        assertThat(events).containsExactly(
                "write " + new Checkpoint(FILE_A, 200, List.of(300L), null), "json 200-300", "send 200-300",
                "write " + new Checkpoint(FILE_A, 0, List.of(100L), null), "json 0-100", "send 0-100",
                "write " + new Checkpoint(FILE_A, 0, List.of(200L), null), "json 0-200", "send 0-200");
    }

    @Test
    void aBatchOfAnotherFileIsRecordedFirstWhateverTheRangesMatch() throws Exception {
        ForwardingSession session = session(new Checkpoint(FILE_B, 0, List.of(100L), null), 3);

        session.forward(consecutive(1));

        assertThat(events).first().isEqualTo("write " + new Checkpoint(FILE_A, 0, List.of(100L), null));
    }

    @Test
    void whileNoConfirmCameInTheIdleLoopWritesNothingSoRangesRecordedAheadStayRecorded() throws Exception {
        List<Batch> batches = consecutive(2);
        ForwardingSession session = session(new Checkpoint(FILE_A, 0, List.of(100L, 200L), null), 3,
                new CompletableFuture<>());

        session.forward(batches.subList(0, 1));
        session.takeConfirms();
        session.forward(batches.subList(1, 2));

        assertThat(events).containsExactly("json 0-100", "send 0-100", "json 100-200", "send 100-200");
    }

    @Test
    void rangesACrashLeftStayRecordedWhenTheConfirmedPrefixMovesUntilTheyArePublishedAgain() throws Exception {
        List<Batch> batches = consecutive(3);
        ForwardingSession session = session(new Checkpoint(FILE_A, 0, List.of(100L, 200L, 300L), null), 3);

        session.forward(batches.subList(0, 1));
        session.takeConfirms();
        session.forward(batches.subList(1, 3));

        assertThat(events).containsExactly("json 0-100", "send 0-100",
                "write " + new Checkpoint(FILE_A, 100, List.of(200L, 300L), null),
                "json 100-200", "json 200-300", "send 100-200", "send 200-300");
    }

    @Test
    void whileTheWindowIsFullTheNextBatchsJsonIsWrittenBeforeTheWaitForAConfirm() throws Exception {
        List<Batch> batches = consecutive(2);
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        ForwardingSession session = session(null, 1, confirm);
        Thread forwarding = new Thread(() -> {
            try {
                session.forward(batches);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        forwarding.start();

        await().until(() -> events.contains("json 100-200"));
        assertThat(events).containsExactly("write " + new Checkpoint(FILE_A, 0, List.of(100L, 200L), null),
                "json 0-100", "send 0-100", "json 100-200");
        confirm.complete(null);
        forwarding.join(10_000);
        assertThat(events).containsExactly("write " + new Checkpoint(FILE_A, 0, List.of(100L, 200L), null),
                "json 0-100", "send 0-100", "json 100-200", "send 100-200");
    }

    @Test
    void aBatchWhoseJsonCannotBeWrittenEndsTheSessionBeforeAnythingOfItsGroupIsPublished() throws Exception {
        unwritable = "100-200";
        ForwardingSession session = session(null, 3);

        assertThatThrownBy(() -> session.forward(consecutive(3))).isInstanceOf(IllegalStateException.class)
                .hasMessage("no JSON for 100-200");

        assertThat(events).as("recorded, so the next session reads it again with exactly this range and id")
                .containsExactly("write " + new Checkpoint(FILE_A, 0, List.of(100L, 200L, 300L), null), "json 0-100");
    }

    private final List<String> events = new CopyOnWriteArrayList<>();
    /** The range whose JSON the encoder cannot write, as a bug would. */
    private String unwritable;

    private ForwardingSession session(Checkpoint loaded, int inFlight) {
        return session(loaded, inFlight, CompletableFuture.completedFuture(null));
    }

    /** A session whose every publish is answered by {@code confirm}. */
    private ForwardingSession session(Checkpoint loaded, int inFlight, CompletableFuture<Void> confirm) {
        CheckpointStore checkpoints = new MemoryCheckpoints(loaded)
                .afterEachSave(checkpoint -> events.add("write " + checkpoint));
        BatchSettings settings = new BatchSettings(1, Duration.ofSeconds(1), Duration.ofMillis(10),
                Duration.ofMillis(10), Duration.ofMillis(100), inFlight);
        return new ForwardingSession(loaded, checkpoints, settings, duration -> { }, new ForwarderMetrics(
                new SimpleMeterRegistry()), new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)), batch -> {
                    String range = batch.start() + "-" + batch.end();
                    if (range.equals(unwritable)) {
                        throw new IllegalStateException("no JSON for " + range);
                    }
                    events.add("json " + range);
                    return batch.encodedFor(LogForwarderTests.ALICE);
                }, batch -> {
                    events.add("send " + batch.start() + "-" + batch.end());
                    return confirm;
                });
    }

    /** Batches of one record each over [0, 100), [100, 200), ... of file A. */
    private static List<Batch> consecutive(int count) {
        List<Batch> batches = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            batches.add(new Batch(FILE_A, n * 100L, (n + 1) * 100L, List.of(SampleLines.record(n,
                    LogForwarderTests.ALICE)), 1));
        }
        return batches;
    }
}
