package org.vlab.ipam.logs.forward;

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

    @Override
    BatchSettings settings() {
        BatchSettings three = super.settings();
        return new BatchSettings(three.size(), three.linger(), three.poll(), three.retryFirst(), three.retryMax(),
                three.inFlight(), 3);
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
