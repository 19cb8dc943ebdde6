package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's window of batches in flight. The batches taken together are recorded as
 * pending (with every other pending batch) in one checkpoint write, then published as the
 * window has room: those beyond the room go out as confirms free it, with no write of their
 * own, so a busy log costs one write per window's worth of batches rather than one per freed
 * slot. The checkpoint's offset moves only over the confirmed prefix, and is written with the
 * next group or while the log is idle, so confirms arriving together cost one write.
 */
final class ForwardingSession {

    private static final Logger log = LoggerFactory.getLogger(ForwardingSession.class);

    private final ConfirmWindow window;
    private final CheckpointStore checkpoints;
    private final BatchSettings settings;
    private final Pause pause;
    private final ForwarderMetrics metrics;
    private final Backoff restarts;
    private final UnaryOperator<Batch> encode;
    private final Function<Batch, CompletableFuture<Void>> send;
    private Checkpoint saved;
    private Checkpoint confirmed;

    /**
     * @param encode writes a batch's JSON: for the batches about to be published, and for the next
     *        one behind them while the window is full and a confirm awaited
     * @param send publishes one batch, its JSON written; its future fails when the broker did not
     *        confirm it
     */
    ForwardingSession(Checkpoint loaded, CheckpointStore checkpoints, BatchSettings settings, Pause pause,
            ForwarderMetrics metrics, Backoff restarts, UnaryOperator<Batch> encode,
            Function<Batch, CompletableFuture<Void>> send) {
        this.window = new ConfirmWindow(settings.inFlight());
        this.saved = loaded;
        this.checkpoints = checkpoints;
        this.settings = settings;
        this.pause = pause;
        this.metrics = metrics;
        this.restarts = restarts;
        this.encode = encode;
        this.send = send;
    }

    /** How many batches the next group may hold: the room left in the window (at least one). */
    int room() {
        return Math.max(1, window.free());
    }

    /**
     * How many batches the next {@link #forward} may take when a reading thread cut them ahead:
     * the room in the window and a window's worth more, recorded as pending with the first group.
     * Pending ranges are what a crash publishes again, so it repeats at most twice the window.
     */
    int roomWithBatchesBehind() {
        return room() + window.capacity();
    }

    /**
     * Forwards the batches, consecutive ones as groups of at most the room in the window, the
     * first group's checkpoint write recording every batch behind it too; returns with room in
     * the window.
     */
    void forward(List<Batch> taken) throws IOException, InterruptedException {
        List<Batch> batches = new ArrayList<>(taken);
        int done = 0;
        while (done < batches.size()) {
            done += forwardGroup(batches, done);
        }
    }

    /**
     * Forwards the leading batches from {@code from} on that can join the window together, and
     * writes their JSON (in {@code batches}) once they are recorded; returns how many.
     */
    private int forwardGroup(List<Batch> batches, int from) throws IOException, InterruptedException {
        List<Batch> rest = batches.subList(from, batches.size());
        Batch first = rest.get(0);
        if (window.anyFailed()) {
            // nothing is sent past a failed batch: it could land before the failed one is sent again
            awaitOldest();
        }
        if (!window.continuedBy(first)) {
            // another file (or a gap): the checkpoint names one file, so the window empties first
            while (!window.isEmpty()) {
                awaitOldest();
            }
        }
        advance();
        if (rest.size() == 1 && first.records().isEmpty() && window.isEmpty()) {
            confirmed = Checkpoint.confirmed(first);
            save(confirmed.keepingPendingOf(saved));
            restarts.reset();
            return 1;
        }
        int size = group(rest, window.free()).size();
        // the last write may record them already: with a group before them, or as a crash left them
        if (saved == null || !saved.recordsPending(rest.subList(0, size))) {
            save(window.pendingWith(group(rest, rest.size())));
        }
        for (int i = from; i < from + size; i++) {
            encodeAt(batches, i);
        }
        List<Batch> group = List.copyOf(rest.subList(0, size));
        List<CompletableFuture<Void>> confirms = sendInOrder(group);
        for (int i = 0; i < group.size(); i++) {
            window.add(group.get(i), confirms.get(i));
        }
        metrics.inFlight(window.size());
        advance();
        int behind = from + size;
        while (window.full()) {
            // waiting for a confirm is when the next batch's JSON is written
            if (behind < batches.size()) {
                encodeAt(batches, behind++);
            }
            awaitOldest();
        }
        return size;
    }

    /** Writes the JSON of the batch at {@code index}, once. */
    private void encodeAt(List<Batch> batches, int index) {
        Batch batch = batches.get(index);
        if (batch.encoded() == null && !batch.records().isEmpty()) {
            batches.set(index, encode.apply(batch));
        }
    }

    /** The leading batches, at most {@code room}, each starting in the same file where the one before ended. */
    static List<Batch> group(List<Batch> batches, int room) {
        List<Batch> group = new ArrayList<>();
        for (Batch batch : batches) {
            if (group.size() == room) {
                break;
            }
            Batch last = group.isEmpty() ? null : group.get(group.size() - 1);
            if (last != null && !(last.file().equals(batch.file()) && last.end() == batch.start())) {
                break;
            }
            group.add(batch);
        }
        return group;
    }

    /** While the log is idle: takes the confirms that came and records them; retries a failure. */
    void takeConfirms() throws IOException, InterruptedException {
        if (window.anyFailed()) {
            awaitOldest();
        }
        saveProgress();
    }

    /** As the session ends, whatever ends it: records the confirms already in, so the next session repeats less. */
    void recordConfirmed() {
        try {
            saveProgress();
        } catch (IOException | RuntimeException e) {
            log.debug("Could not record the confirmed batches as the session ended", e);
        }
    }

    /**
     * Writes the confirmed prefix, if it moved since the last write (while no confirm came in,
     * that write still records every batch in flight), keeping the pending ranges recorded
     * beyond the window: those a crash left, which are read again exactly, and any recorded
     * ahead.
     */
    private void saveProgress() throws IOException {
        advance();
        Checkpoint current = window.isEmpty() ? confirmed : window.pending();
        if (current != null && (saved == null || !current.file().equals(saved.file())
                || current.offset() != saved.offset())) {
            save(current.keepingPendingOf(saved));
        }
    }

    /** Waits for the oldest confirm, or for the first failed one and sends again from there. */
    private void awaitOldest() throws IOException, InterruptedException {
        if (!window.anyFailed()) {
            settle(window.oldest());
        }
        advance();
        if (window.anyFailed()) {
            resendUntilConfirmed();
        }
        advance();
    }

    /** Takes every confirm in as a prefix; the checkpoint records them with its next write, not one write each. */
    private void advance() {
        for (Batch batch : window.takeConfirmedPrefix()) {
            if (!batch.records().isEmpty()) {
                metrics.published(batch.records().size());
            }
            confirmed = Checkpoint.confirmed(batch);
            restarts.reset();
        }
        metrics.inFlight(window.size());
    }

    /**
     * A batch failed: once every confirm in flight is in, the batches from the first
     * unconfirmed one on are published again, in order, until all are confirmed, reading
     * nothing meanwhile. A later batch confirmed before is published again too, so the
     * queue's last copies stay in log order (duplicates keep their message ids).
     */
    private void resendUntilConfirmed() throws InterruptedException {
        Backoff backoff = new Backoff(settings.retryFirst(), settings.retryMax());
        for (int attempt = 2; ; attempt++) {
            settle(window.allSettled());
            advance();
            if (!window.anyFailed()) {
                if (attempt > 2) {
                    log.info("Published again from batch {} after {} attempts; reading again",
                            window.isEmpty() ? "-" : window.batches().get(0).messageId(), attempt - 1);
                }
                return;
            }
            metrics.publishFailed();
            String failure = failure(window.oldest());
            Duration wait = backoff.next();
            log.warn("Could not publish batch {} ({}); reading paused, {} batch(es) published again from it "
                    + "(attempt {}) in {}", window.batches().get(0).messageId(), failure, window.batches().size(),
                    attempt, wait);
            pause.sleep(wait);
            window.resent(sendInOrder(window.batches()));
        }
    }

    /**
     * Sends the batches in order; once a send fails at once (no connection), the rest are not
     * sent, since they could land on the next connection before it, and count as failed.
     */
    private List<CompletableFuture<Void>> sendInOrder(List<Batch> batches) {
        List<CompletableFuture<Void>> confirms = new ArrayList<>();
        CompletableFuture<Void> failed = null;
        for (Batch batch : batches) {
            if (failed != null) {
                confirms.add(failed);
                continue;
            }
            CompletableFuture<Void> confirm = batch.records().isEmpty() ? CompletableFuture.completedFuture(null)
                    : send.apply(batch);
            if (confirm.isCompletedExceptionally()) {
                failed = confirm;
            }
            confirms.add(confirm);
        }
        return confirms;
    }

    private void save(Checkpoint checkpoint) throws IOException {
        if (!checkpoint.equals(saved)) {
            checkpoints.save(checkpoint);
            saved = checkpoint;
        }
    }

    /** Waits until the future is done, whichever way. */
    private static void settle(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            // the window reads the outcome from the future
        }
    }

    private static String failure(CompletableFuture<?> future) {
        try {
            future.getNow(null);
            return "confirmed";
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause.getMessage() == null ? cause.toString() : cause.getMessage();
        }
    }
}
