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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's window of batches in flight. The batches ready together are recorded as
 * pending (with every other pending batch) in one checkpoint write, then published; the
 * checkpoint's offset moves only over the confirmed prefix, and is written with the next
 * group or while the log is idle, so confirms arriving together cost one write, and a busy
 * log one write per group of batches.
 */
final class ForwardingSession {

    private static final Logger log = LoggerFactory.getLogger(ForwardingSession.class);

    private final ConfirmWindow window;
    private final CheckpointStore checkpoints;
    private final BatchSettings settings;
    private final Pause pause;
    private final ForwarderMetrics metrics;
    private final Backoff restarts;
    private final Function<Batch, CompletableFuture<Void>> send;
    private Checkpoint saved;
    private Checkpoint confirmed;

    /** @param send publishes one batch; its future fails when the broker did not confirm it */
    ForwardingSession(Checkpoint loaded, CheckpointStore checkpoints, BatchSettings settings, Pause pause,
            ForwarderMetrics metrics, Backoff restarts, Function<Batch, CompletableFuture<Void>> send) {
        this.window = new ConfirmWindow(settings.inFlight());
        this.saved = loaded;
        this.checkpoints = checkpoints;
        this.settings = settings;
        this.pause = pause;
        this.metrics = metrics;
        this.restarts = restarts;
        this.send = send;
    }

    /** How many batches the next group may hold: the room left in the window (at least one). */
    int room() {
        return Math.max(1, window.free());
    }

    /** Forwards the batches, consecutive ones as groups (one checkpoint write each); returns with room in the window. */
    void forward(List<Batch> batches) throws IOException, InterruptedException {
        int done = 0;
        while (done < batches.size()) {
            done += forwardGroup(batches.subList(done, batches.size()));
        }
    }

    /** Forwards the leading batches that can join the window together; returns how many. */
    private int forwardGroup(List<Batch> batches) throws IOException, InterruptedException {
        Batch first = batches.get(0);
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
        if (batches.size() == 1 && first.records().isEmpty() && window.isEmpty()) {
            confirmed = Checkpoint.confirmed(first);
            save(confirmed);
            restarts.reset();
            return 1;
        }
        List<Batch> group = group(batches, window.free());
        save(window.pendingWith(group));
        List<CompletableFuture<Void>> confirms = sendInOrder(group);
        for (int i = 0; i < group.size(); i++) {
            window.add(group.get(i), confirms.get(i));
        }
        metrics.inFlight(window.size());
        advance();
        while (window.full()) {
            awaitOldest();
        }
        return group.size();
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

    private void saveProgress() throws IOException {
        advance();
        Checkpoint current = window.isEmpty() ? confirmed : window.pending();
        if (current != null) {
            save(current);
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
