package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.tail.LogLine;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * The forwarding loop, with up to {@link BatchSettings#inFlight()} batches published and
 * awaiting their confirms: take the batches ready (up to the room in the window, and with a
 * reading thread up to a window's worth more), record them as pending (with the others in
 * flight) in one checkpoint write, publish them as the window has room, and move the
 * checkpoint over the batches confirmed as a prefix. A later batch confirmed before an earlier
 * one never moves it. With {@link BatchSettings#readAhead()} the batches are read and cut on a
 * thread of their own ({@link ReadAhead}) while this one writes checkpoints, their JSON (while it
 * waits for confirms, where it can) and publishes.
 * When a confirm fails (nack, return, timeout, lost connection), every batch from the first
 * unconfirmed one on is published again in order, with back-off, for as long as it takes,
 * reading nothing more meanwhile (beyond the batches already read ahead). A crash at any
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
            ForwardingSession session = new ForwardingSession(checkpoint.orElse(null), checkpoints, settings, pause,
                    metrics, restarts, batch -> batch.encodedFor(gateway), this::send);
            boolean readAhead = settings.readAhead() > 0;
            // read ahead, the forwarding thread takes the confirms in while it waits for a batch
            BatchCollector collector = new BatchCollector(lines, parser, settings, clock, pause, metrics,
                    checkpoint.orElse(null), readAhead ? () -> { } : session::takeConfirms);
            try {
                if (readAhead) {
                    try (ReadAhead ahead = new ReadAhead(collector, settings.readAhead())) {
                        while (true) {
                            session.forward(ahead.next(session.roomWithBatchesBehind(), settings.poll(),
                                    session::takeConfirms));
                        }
                    }
                }
                while (true) {
                    // no more than the window takes: reading past it on this thread would only delay
                    // publishing, and a read failing behind a batch would end the session before it
                    session.forward(nextBatches(collector, session.room()));
                }
            } finally {
                session.recordConfirmed();
            }
        }
    }

    /** The next batch, waiting for it, and the batches ready behind it: at most {@code room}. */
    static List<Batch> nextBatches(BatchCollector collector, int room) throws IOException, InterruptedException {
        List<Batch> batches = new ArrayList<>();
        batches.add(collector.next());
        while (batches.size() < room) {
            Batch batch = collector.ready();
            if (batch == null) {
                break;
            }
            batches.add(batch);
        }
        return batches;
    }

    /** The log as the session reads it: a line source that answered, with or without a line, means reading works again. */
    private final class Working extends LineSource.Delegating {

        Working(LineSource lines) {
            super(lines);
        }

        @Override
        public Optional<LogLine> next() throws IOException {
            Optional<LogLine> line = super.next();
            failedSessions = 0;
            return line;
        }
    }

    /**
     * Publishes one batch, its JSON written already ({@link ForwardingSession}); the future fails
     * when the broker did not confirm it.
     */
    private CompletableFuture<Void> send(Batch batch) {
        if (batch.encoded() == null) {
            throw new IllegalStateException("batch " + batch.messageId() + " reached publishing without its JSON");
        }
        try {
            return publisher.publish(batch.encoded(), new MessageMetadata(batch.messageId(), null));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
