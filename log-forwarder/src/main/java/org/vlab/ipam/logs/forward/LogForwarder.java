package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * The forwarding loop, strictly one batch at a time: read a batch, record it as pending,
 * publish it, wait for the broker's confirm (retrying with back-off for as long as it takes,
 * reading nothing meanwhile), and only then record its end as the checkpoint. A crash at any
 * point therefore loses nothing and repeats at most the one pending batch, under the same
 * message id. Any other failure (the log or the state directory unreadable, say) ends the
 * session; the next one starts from the checkpoint after a back-off.
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
            } catch (ClosedByInterruptException e) {
                throw new InterruptedException("stopped while reading");
            } catch (IOException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("stopped");
                }
                Duration wait = restarts.next();
                log.error("Forwarding stopped ({}); starting again from the checkpoint in {}", e.toString(), wait, e);
                pause.sleep(wait);
            }
        }
        throw new InterruptedException("stopped");
    }

    private void session(Backoff restarts) throws IOException, InterruptedException {
        Optional<Checkpoint> checkpoint = checkpoints.load();
        try (LineSource lines = opener.open(checkpoint)) {
            metrics.follow(lines);
            BatchCollector collector = new BatchCollector(lines, parser, settings, clock, pause, metrics,
                    checkpoint.orElse(null));
            while (true) {
                Batch batch = collector.next();
                if (!batch.records().isEmpty()) {
                    checkpoints.save(Checkpoint.pending(batch));
                    publish(batch);
                    metrics.published(batch.records().size());
                }
                checkpoints.save(Checkpoint.confirmed(batch.file(), batch.end()));
                restarts.reset();
            }
        }
    }

    /** Publishes until the broker confirms; never gives a batch up. */
    private void publish(Batch batch) throws InterruptedException {
        MessageMetadata metadata = new MessageMetadata(batch.messageId(), null);
        Backoff backoff = new Backoff(settings.retryFirst(), settings.retryMax());
        for (int attempt = 1; ; attempt++) {
            try {
                publisher.publish(batch.message(gateway), metadata).get();
                if (attempt > 1) {
                    log.info("Published batch {} after {} attempts; reading again", batch.messageId(), attempt);
                }
                return;
            } catch (ExecutionException e) {
                metrics.publishFailed();
                Duration wait = backoff.next();
                log.warn("Could not publish batch {} ({}); reading paused, attempt {} follows in {}",
                        batch.messageId(), e.getCause().getMessage(), attempt + 1, wait);
                pause.sleep(wait);
            }
        }
    }
}
