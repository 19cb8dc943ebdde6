package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The same window with batches cut on a reading thread up to three ahead: what the forwarding
 * thread publishes, records, confirms and sends again, and in which order, must not change.
 * Three tests pin how many batches the forwarding thread finds ready at once; with a reading
 * thread that depends on which thread runs first, so they hold for the forwarding thread's own
 * reading only. {@link ReadAheadTests} covers the reading thread's bounds.
 */
class PipelinedForwardingWithReadAheadTests extends PipelinedForwardingTests {

    private static final String GROUPING = "how many batches are ready at once depends on the reading thread's timing";

    /** As deployed: twice the window read ahead. */
    @Override
    BatchSettings settings() {
        BatchSettings three = super.settings();
        return BatchSettings.readingAhead(three.size(), three.linger(), three.poll(), three.retryFirst(),
                three.retryMax(), three.inFlight());
    }

    @Test
    void batchesTheReaderCutBehindTheWindowArePublishedAsItFreesWithoutAWriteOfTheirOwn() {
        // the first batch alone, so the first take holds it alone; the rest comes while it is published
        lines.add(LogForwarderTests.FILE_A, lines(0, 2));
        RecordingPublisher firstWaitsForTheReader = new RecordingPublisher(lines, attempt -> {
            if (attempt == 1) {
                lines.add(LogForwarderTests.FILE_A, lines(2, 10));
                await().until(lines::isEmpty);
                // the reader asks again only once it has queued the batch of the last line
                int asked = lines.asked.get();
                await().until(() -> lines.asked.get() > asked);
            }
            CompletableFuture<Void> confirm = new CompletableFuture<>();
            confirms.add(confirm);
            return confirm;
        });
        List<Integer> publishedBeforeEachWrite = new CopyOnWriteArrayList<>();
        start(new MemoryCheckpoints(null).afterEachSave(
                checkpoint -> publishedBeforeEachWrite.add(firstWaitsForTheReader.attempts().size())),
                lines, firstWaitsForTheReader);
        long[] ends = ends(10);
        await().until(() -> confirms.size() == 3);

        confirms.get(0).complete(null);
        confirms.get(1).complete(null);

        await().until(() -> firstWaitsForTheReader.attempts().size() == 5);
        assertThat(firstWaitsForTheReader.attempts()).extracting(RecordingPublisher.Attempt::messageId)
                .endsWith(id(ends[5], ends[7]), id(ends[7], ends[9]));
        assertThat(publishedBeforeEachWrite).as("one write for the four batches behind the first")
                .startsWith(0, 1).filteredOn(published -> published > 1 && published < 5).isEmpty();
    }

    @Test
    @Disabled(GROUPING + "; the reader also reads past the window, up to its own bound, and the batches it cut "
            + "behind the window are recorded with the first group (ForwardingSessionTests)")
    @Override
    void publishesUpToTheWindowBeforeAnyConfirmAndRecordsEveryPendingBatch() {
    }

    @Test
    @Disabled(GROUPING)
    @Override
    void batchesReadyTogetherAreRecordedAsPendingWithOneCheckpointWriteBeforeAnyIsPublished() {
    }

    @Test
    @Disabled(GROUPING)
    @Override
    void confirmsThatArriveTogetherMoveTheCheckpointWithOneWrite() {
    }
}
