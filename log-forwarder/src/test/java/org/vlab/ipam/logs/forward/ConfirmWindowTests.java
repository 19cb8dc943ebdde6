package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.messaging.PublishFailedException;

/** Which batches the checkpoint may pass, whatever order the confirms come in. */
class ConfirmWindowTests {

    static final FileIdentity FILE_A = new FileIdentity("8:1", "aaaaaaaaaaaaaaaa");
    static final FileIdentity FILE_B = new FileIdentity("8:2", "bbbbbbbbbbbbbbbb");

    private final Batch first = batch(FILE_A, 0, 100);
    private final Batch second = batch(FILE_A, 100, 250);
    private final Batch third = batch(FILE_A, 250, 300);
    private final CompletableFuture<Void> firstConfirm = new CompletableFuture<>();
    private final CompletableFuture<Void> secondConfirm = new CompletableFuture<>();
    private final CompletableFuture<Void> thirdConfirm = new CompletableFuture<>();

    @Test
    void laterConfirmsDoNotMoveThePrefixPastAnEarlierUnconfirmedBatch() {
        ConfirmWindow window = threeInFlight();

        thirdConfirm.complete(null);
        secondConfirm.complete(null);

        assertThat(window.takeConfirmedPrefix()).isEmpty();
        assertThat(window.pending()).isEqualTo(new Checkpoint(FILE_A, 0, List.of(100L, 250L, 300L), null));

        firstConfirm.complete(null);

        assertThat(window.takeConfirmedPrefix()).containsExactly(first, second, third);
        assertThat(window.isEmpty()).isTrue();
        assertThat(window.pending()).isNull();
    }

    @Test
    void thePrefixEndsAtTheFirstFailedConfirmAndTheRestStaysPending() {
        ConfirmWindow window = threeInFlight();

        firstConfirm.complete(null);
        secondConfirm.completeExceptionally(new PublishFailedException(PublishFailedException.Reason.REFUSED, "nack", null));
        thirdConfirm.complete(null);

        assertThat(window.anyFailed()).isTrue();
        assertThat(window.oldestFailed()).as("the first batch is confirmed").isFalse();
        assertThat(window.takeConfirmedPrefix()).containsExactly(first);
        assertThat(window.oldestFailed()).isTrue();
        assertThat(window.batches()).containsExactly(second, third);
        assertThat(window.pending()).isEqualTo(new Checkpoint(FILE_A, 100, List.of(250L, 300L), null));
    }

    @Test
    void batchesPublishedAgainGetTheirNewConfirmsInOrder() {
        ConfirmWindow window = threeInFlight();
        firstConfirm.completeExceptionally(new IllegalStateException("timed out"));
        CompletableFuture<Void> again = new CompletableFuture<>();

        window.resent(List.of(again, CompletableFuture.completedFuture(null), CompletableFuture.completedFuture(null)));

        assertThat(window.oldestFailed()).isFalse();
        assertThat(window.takeConfirmedPrefix()).isEmpty();
        again.complete(null);
        assertThat(window.takeConfirmedPrefix()).containsExactly(first, second, third);
    }

    @Test
    void thePendingCheckpointBeforeAPublishNamesEveryBatchInFlightAndTheNewOne() {
        ConfirmWindow window = new ConfirmWindow(3);
        window.add(first, firstConfirm);

        assertThat(window.pendingWith(second)).isEqualTo(new Checkpoint(FILE_A, 0, List.of(100L, 250L), null));
        assertThat(new ConfirmWindow(3).pendingWith(second)).isEqualTo(new Checkpoint(FILE_A, 100, 250L));
    }

    @Test
    void takesOnlyBatchesThatContinueTheLastOneAndNoMoreThanItsCapacity() {
        ConfirmWindow window = new ConfirmWindow(2);
        window.add(first, firstConfirm);

        assertThat(window.continuedBy(batch(FILE_B, 100, 200))).as("another file").isFalse();
        assertThat(window.continuedBy(batch(FILE_A, 120, 200))).as("a gap").isFalse();
        assertThat(window.continuedBy(second)).isTrue();
        window.add(second, secondConfirm);
        assertThat(window.full()).isTrue();
        assertThatThrownBy(() -> window.add(third, thirdConfirm)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ConfirmWindow(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGroupIsRecordedAsPendingBehindTheWindowInOneCheckpoint() {
        ConfirmWindow window = new ConfirmWindow(4);
        window.add(first, firstConfirm);

        assertThat(window.free()).isEqualTo(3);
        assertThat(window.pendingWith(List.of(second, third)))
                .isEqualTo(new Checkpoint(FILE_A, 0, List.of(100L, 250L, 300L), null));
        assertThat(new ConfirmWindow(2).pendingWith(List.of(second, third)))
                .isEqualTo(new Checkpoint(FILE_A, 100, List.of(250L, 300L), null));
    }

    private ConfirmWindow threeInFlight() {
        ConfirmWindow window = new ConfirmWindow(3);
        window.add(first, firstConfirm);
        window.add(second, secondConfirm);
        window.add(third, thirdConfirm);
        return window;
    }

    static Batch batch(FileIdentity file, long start, long end) {
        return new Batch(file, start, end, List.of(), 1);
    }
}
