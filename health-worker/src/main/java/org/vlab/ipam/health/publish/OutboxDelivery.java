package org.vlab.ipam.health.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.messaging.MessagePublisher;
import org.vlab.ipam.messaging.PublishFailedException;

/** One round of the outbox: publishes a batch, awaits the confirms, and sorts out what to try again. */
final class OutboxDelivery {

    private static final Logger log = LoggerFactory.getLogger(OutboxDelivery.class);
    /** The publisher bounds its own confirms; this only guards against one that never completes. */
    private static final long CONFIRM_GUARD_SECONDS = 60;

    private OutboxDelivery() {
    }

    /** Publishes {@code batch} in order and returns the entries to try again, in order. */
    static List<OutboxEntry> deliver(MessagePublisher publisher, List<OutboxEntry> batch, OutboxState state)
            throws InterruptedException {
        List<CompletableFuture<Void>> confirms = new ArrayList<>(batch.size());
        for (OutboxEntry entry : batch) {
            CompletableFuture<Void> confirm = send(publisher, entry);
            confirms.add(confirm);
            if (confirm.isCompletedExceptionally()) {
                break; // no connection: the rest would each wait for a connect of their own
            }
        }
        List<OutboxEntry> again = new ArrayList<>();
        int failed = 0;
        int dropped = 0;
        String reason = null;
        for (int i = 0; i < batch.size(); i++) {
            OutboxEntry entry = batch.get(i);
            if (i >= confirms.size()) {
                again.add(entry);
                continue;
            }
            Throwable error = outcome(confirms.get(i));
            if (error == null) {
                confirmed(entry);
                continue;
            }
            failed++;
            reason = String.valueOf(error.getMessage());
            if (lostForGood(error)) {
                dropped++;
            } else {
                again.add(entry);
            }
        }
        state.round(failed, dropped, reason);
        return again;
    }

    private static CompletableFuture<Void> send(MessagePublisher publisher, OutboxEntry entry) {
        try {
            return publisher.publish(entry.event(), entry.metadata());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Null when confirmed, else why not. */
    private static Throwable outcome(CompletableFuture<Void> confirm) throws InterruptedException {
        try {
            confirm.get(CONFIRM_GUARD_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (TimeoutException e) {
            return e;
        }
    }

    private static void confirmed(OutboxEntry entry) {
        try {
            entry.onConfirmed().run();
        } catch (RuntimeException e) {
            log.warn("after the confirm of {}", entry.event().address(), e);
        }
    }

    /**
     * Unroutable: the broker took it and no queue is bound, so trying again only blocks the
     * others. A negative confirm is tried again: Spring AMQP nacks every unconfirmed message
     * of a channel that closed (as a lost connection closes it), and RabbitMQ nacks only what
     * it could not take responsibility for just then.
     */
    private static boolean lostForGood(Throwable error) {
        return error instanceof PublishFailedException failure
                && failure.reason() == PublishFailedException.Reason.UNROUTABLE;
    }
}
