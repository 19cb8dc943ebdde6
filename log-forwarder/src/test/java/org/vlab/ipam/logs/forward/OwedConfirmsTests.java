package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.messaging.PublishFailedException;
import org.vlab.ipam.messaging.PublishFailedException.Reason;

/**
 * Which publish a return, an ack or a nack settles, in the orders the broker may send them;
 * {@code OneChannelPublisherTests} publishes through the real broker.
 */
class OwedConfirmsTests {

    private final OwedConfirms owed = new OwedConfirms();
    private final CompletableFuture<Void> first = new CompletableFuture<>();
    private final CompletableFuture<Void> again = new CompletableFuture<>();

    @Test
    void twoReturnsOfOneIdBeforeOneAckForBothFailBothAsUnroutable() {
        owed.published(5, "batch", first);
        owed.published(9, "batch", again);

        owed.returned("batch");
        owed.returned("batch");
        owed.acked(9, true);

        assertThat(reasonOf(first)).isEqualTo(Reason.UNROUTABLE);
        assertThat(reasonOf(again)).as("not taken for confirmed: its copy never reached a queue")
                .isEqualTo(Reason.UNROUTABLE);
    }

    @Test
    void aReturnBelongsToTheOldestPublishOfItsIdNotYetReturned() {
        owed.published(5, "batch", first);
        owed.published(9, "batch", again);

        owed.returned("batch");
        owed.acked(9, true);

        assertThat(reasonOf(first)).isEqualTo(Reason.UNROUTABLE);
        assertThat(again).isCompleted().isNotCompletedExceptionally();
    }

    @Test
    void aReturnedCopyDoesNotFailALaterOneAQueueTook() {
        owed.published(5, "batch", first);
        owed.returned("batch");
        owed.acked(5, false);
        owed.published(9, "batch", again);
        owed.acked(9, false);

        assertThat(reasonOf(first)).isEqualTo(Reason.UNROUTABLE);
        assertThat(again).isCompleted().isNotCompletedExceptionally();
    }

    @Test
    void aNackRefusesAndAClosedChannelFailsWhatIsStillOwed() {
        owed.published(5, "one", first);
        owed.published(9, "other", again);

        owed.nacked(5, false);
        owed.failAll("the channel closed");

        assertThat(reasonOf(first)).isEqualTo(Reason.REFUSED);
        assertThat(reasonOf(again)).isEqualTo(Reason.BROKER_UNREACHABLE);
    }

    private static Reason reasonOf(CompletableFuture<Void> confirm) {
        assertThat(confirm).isCompletedExceptionally();
        Throwable failure = catchFailure(confirm);
        assertThat(failure).isInstanceOf(PublishFailedException.class);
        return ((PublishFailedException) failure).reason();
    }

    private static Throwable catchFailure(CompletableFuture<Void> confirm) {
        try {
            confirm.join();
            throw new AssertionError("completed normally");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
