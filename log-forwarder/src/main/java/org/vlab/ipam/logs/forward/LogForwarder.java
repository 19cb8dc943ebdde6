package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.tail.LogLine;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * The forwarding loop, with up to {@link BatchSettings#inFlight()} batches published and
 * awaiting their confirms: read a batch, record it as pending (with the others in flight),
 * publish it, and move the checkpoint over the batches confirmed as a prefix. A later batch
 * confirmed before an earlier one never moves it. When a confirm fails (nack, return,
 * timeout, lost connection), every batch from the first unconfirmed one on is published again
 * in order, with back-off, for as long as it takes, reading nothing meanwhile. A crash at any
 * point therefore loses nothing and repeats at most the pending batches, each under its own
 * message id. Any other failure, whatever its kind (the log or the state directory
 * unreadable, a bug, an {@link Error}), ends the session; the next one starts from the
 * checkpoint after a back-off. Sessions failing one after the other are what
 * {@link #failing()} reports, for the health endpoint.
 */
final class LogForwarder {

    private static final Logger log = LoggerFactory.getLogger(LogForwarder.class);

    private final LineSource.Opener opener;
    private final FirewallLineParser parser;
    private final MessagePublisher publisher;
    private final CheckpointStore checkpoints;
    private final GatewayId gateway;
    private final BatchSettings settings;
    private final Clock clock;
    private final Pause pause;
    private final ForwarderMetrics metrics;
    private volatile int failedSessions;
    private volatile String lastFailure;

    LogForwarder(LineSource.Opener opener, FirewallLineParser parser, MessagePublisher publisher,
            CheckpointStore checkpoints, GatewayId gateway, BatchSettings settings, Clock clock, Pause pause,
            ForwarderMetrics metrics) {
        this.opener = opener;
        this.parser = parser;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.gateway = gateway;
        this.settings = settings;
        this.clock = clock;
        this.pause = pause;
        this.metrics = metrics;
    }

    /** Forwards until the thread is interrupted. */
    void run() throws InterruptedException {
        Backoff restarts = new Backoff(settings.retryFirst(), settings.retryMax());
        while (!Thread.currentThread().isInterrupted()) {
            try {
                session(restarts);
            } catch (InterruptedException e) {
                throw e;
            } catch (ClosedByInterruptException e) {
                throw new InterruptedException("stopped while reading");
            } catch (Throwable e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("stopped");
                }
                failedSessions++;
                lastFailure = e.toString();
                metrics.sessionFailed();
                Duration wait = restarts.next();
                log.error("Forwarding stopped ({}); starting again from the checkpoint in {}", e, wait, e);
                pause.sleep(wait);
            }
        }
        throw new InterruptedException("stopped");
    }

    int failedSessions() {
        return failedSessions;
    }

    /** The failure that ended the last session, while no session has worked since; null when forwarding works. */
    String failing() {
        return failedSessions > 0 ? failedSessions + " session(s) failed in a row, last: " + lastFailure : null;
    }

    private void session(Backoff restarts) throws IOException, InterruptedException {
        Optional<Checkpoint> checkpoint = checkpoints.load();
        try (LineSource lines = new Working(opener.open(checkpoint))) {
            metrics.follow(lines);
            Session session = new Session(checkpoint.orElse(null), restarts);
            BatchCollector collector = new BatchCollector(lines, parser, settings, clock, pause, metrics,
                    checkpoint.orElse(null), session::takeConfirms);
            try {
                while (true) {
                    session.forward(collector.next());
                }
            } finally {
                session.recordConfirmed();
            }
        }
    }

    /**
     * One session's window of batches in flight. A batch is recorded as pending (with every
     * other pending batch) before it is published; the checkpoint's offset moves only over
     * the confirmed prefix, and is written with the next pending batch or while the log is
     * idle, so a busy log costs one checkpoint write per batch.
     */
    private final class Session {

        private final ConfirmWindow window = new ConfirmWindow(settings.inFlight());
        private final Backoff restarts;
        private Checkpoint saved;
        private Checkpoint confirmed;

        Session(Checkpoint loaded, Backoff restarts) {
            this.saved = loaded;
            this.restarts = restarts;
        }

        void forward(Batch batch) throws IOException, InterruptedException {
            if (window.anyFailed()) {
                // nothing is sent past a failed batch: it could land before the failed one is sent again
                awaitOldest();
            }
            if (!window.continuedBy(batch)) {
                // another file (or a gap): the checkpoint names one file, so the window empties first
                while (!window.isEmpty()) {
                    awaitOldest();
                }
            }
            if (batch.records().isEmpty() && window.isEmpty()) {
                confirmed = Checkpoint.confirmed(batch);
                save(confirmed);
                restarts.reset();
                return;
            }
            save(window.pendingWith(batch));
            window.add(batch, batch.records().isEmpty() ? CompletableFuture.completedFuture(null) : send(batch));
            metrics.inFlight(window.size());
            advance();
            while (window.full()) {
                awaitOldest();
            }
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
                        : send(batch);
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
    }

    /** The log as the session reads it: a line source that answered, with or without a line, means reading works again. */
    private final class Working implements LineSource {

        private final LineSource lines;

        Working(LineSource lines) {
            this.lines = lines;
        }

        @Override
        public Optional<LogLine> next() throws IOException {
            Optional<LogLine> line = lines.next();
            failedSessions = 0;
            return line;
        }

        @Override
        public long bytesBehind() {
            return lines.bytesBehind();
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    /** Publishes one batch; the future fails when the broker did not confirm it. */
    private CompletableFuture<Void> send(Batch batch) {
        try {
            return publisher.publish(batch.message(gateway), new MessageMetadata(batch.messageId(), null));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
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
