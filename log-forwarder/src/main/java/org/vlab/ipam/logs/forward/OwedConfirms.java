package org.vlab.ipam.logs.forward;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.vlab.ipam.messaging.PublishFailedException;
import org.vlab.ipam.messaging.PublishFailedException.Reason;

/**
 * The confirms one channel owes, by delivery tag, and which of those publishes the broker
 * returned unrouted. A return names a message id, not a tag, and the same batch may be out more
 * than once on one channel (sent again after its confirm timed out). The broker returns a
 * channel's messages in the order they were published, each before its confirm, though it may
 * confirm several together: a return therefore belongs to the oldest publish of that id not yet
 * returned. Publishes come from the forwarding thread, returns and confirms from the client's
 * connection thread.
 */
final class OwedConfirms {

    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();
    private final Map<Long, String> messageIds = new ConcurrentHashMap<>();
    private final Set<Long> returned = ConcurrentHashMap.newKeySet();

    /** Before the publish of {@code tag} goes out: {@code confirm} completes with its outcome. */
    void published(long tag, String messageId, CompletableFuture<Void> confirm) {
        messageIds.put(tag, messageId);
        pending.put(tag, confirm);
    }

    /** The broker returned a message of this id: no queue took it. */
    void returned(String messageId) {
        for (Long tag : pending.keySet()) {
            if (messageId.equals(messageIds.get(tag)) && returned.add(tag)) {
                return;
            }
        }
    }

    /** The broker confirmed {@code tag} (and every tag before it when {@code multiple}). */
    void acked(long tag, boolean multiple) {
        settle(tag, multiple, null);
    }

    /** The broker refused {@code tag} (and every tag before it when {@code multiple}). */
    void nacked(long tag, boolean multiple) {
        settle(tag, multiple, "the broker refused it (nack)");
    }

    /** The channel closed: no confirm owed will come. */
    void failAll(String why) {
        pending.values().forEach(confirm -> confirm.completeExceptionally(
                new PublishFailedException(Reason.BROKER_UNREACHABLE, why, null)));
        pending.clear();
        messageIds.clear();
        returned.clear();
    }

    private void settle(long tag, boolean multiple, String nack) {
        Map<Long, CompletableFuture<Void>> done = multiple ? pending.headMap(tag, true)
                : pending.subMap(tag, true, tag, true);
        for (Map.Entry<Long, CompletableFuture<Void>> entry : done.entrySet()) {
            String messageId = messageIds.remove(entry.getKey());
            boolean wasReturned = returned.remove(entry.getKey());
            if (nack != null) {
                entry.getValue().completeExceptionally(new PublishFailedException(Reason.REFUSED, nack, null));
            } else if (wasReturned) {
                entry.getValue().completeExceptionally(
                        new PublishFailedException(Reason.UNROUTABLE, "no queue is bound for " + messageId, null));
            } else {
                entry.getValue().complete(null);
            }
        }
        done.clear();
    }
}
