package org.vlab.ipam.agent.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * Sends the agent's answers with publisher confirms: a list all at once, waiting for the
 * confirms together, or one answer whose confirm the caller chains on without waiting.
 * A lost answer is not fatal: the API re-publishes commands it has no answer to, and the next
 * reconcile settles from the snapshot, so failures are logged and not retried here.
 */
public final class AnswerPublisher {

    private static final Logger log = LoggerFactory.getLogger(AnswerPublisher.class);
    private static final long CONFIRM_WAIT_SECONDS = 15;

    private final MessagePublisher publisher;

    public AnswerPublisher(MessagePublisher publisher) {
        this.publisher = publisher;
    }

    /** An answer and the correlation id of the request that caused its command, if known. */
    public record Answer(IpamMessage message, String correlationId) {
    }

    /**
     * Publishes one answer; the future completes when the broker confirmed it or when it could
     * not be confirmed (logged), never exceptionally, so acknowledging can follow either way.
     */
    public CompletableFuture<Void> send(Answer answer) {
        return publisher.publish(answer.message(), new MessageMetadata(messageId(answer.message()), answer.correlationId()))
                .orTimeout(CONFIRM_WAIT_SECONDS, TimeUnit.SECONDS)
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    log.warn("answer {} was not confirmed ({}); the API's re-publish or the next reconcile settles it",
                            answer.message(), cause.toString());
                    return null;
                });
    }

    /** Publishes every answer and waits for their confirms; returns how many the broker confirmed. */
    public int publish(List<Answer> answers) {
        List<CompletableFuture<Void>> confirms = new ArrayList<>();
        for (Answer answer : answers) {
            confirms.add(publisher.publish(answer.message(),
                    new MessageMetadata(messageId(answer.message()), answer.correlationId())));
        }
        int confirmed = 0;
        for (int i = 0; i < confirms.size(); i++) {
            try {
                confirms.get(i).get(CONFIRM_WAIT_SECONDS, TimeUnit.SECONDS);
                confirmed++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return confirmed;
            } catch (java.util.concurrent.ExecutionException | CompletionException | TimeoutException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                log.warn("answer {} was not confirmed ({}); the API's re-publish or the next reconcile settles it",
                        answers.get(i).message(), cause.getMessage());
            }
        }
        return confirmed;
    }

    /** The same answer to the same change always has the same id, so consumers can drop repeats. */
    static String messageId(IpamMessage message) {
        String change = message instanceof PortMapApplied applied ? applied.connPort() + ":" + applied.generation()
                : message instanceof PortMapRemoved removed ? removed.connPort() + ":" + removed.generation()
                : message instanceof PortMapFailed failed ? failed.connPort() + ":" + failed.generation()
                : java.util.UUID.randomUUID().toString();
        return message.gateway() + ":" + change + ":" + MessageType.of(message).wireName();
    }
}
