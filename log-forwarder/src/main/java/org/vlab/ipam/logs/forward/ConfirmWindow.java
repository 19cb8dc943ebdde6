package org.vlab.ipam.logs.forward;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The batches published and not yet confirmed as a prefix, oldest first, at most
 * {@code capacity} of them, all of one file and each starting where the one before ended.
 * Confirms may arrive in any order; only the leading run of successful ones leaves the window,
 * so the checkpoint never passes a batch the broker has not confirmed. A window holds no
 * threads and does no I/O: it only answers from the confirms' futures.
 */
final class ConfirmWindow {

    private record Sent(Batch batch, CompletableFuture<Void> confirm) {
    }

    private final int capacity;
    private final Deque<Sent> sent = new ArrayDeque<>();

    ConfirmWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one batch in flight; got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The most batches it holds. */
    int capacity() {
        return capacity;
    }

    boolean full() {
        return sent.size() >= capacity;
    }

    int size() {
        return sent.size();
    }

    boolean isEmpty() {
        return sent.isEmpty();
    }

    /** Whether the batch may join the window: it is empty, or the batch continues its last batch's file at its end. */
    boolean continuedBy(Batch batch) {
        Sent last = sent.peekLast();
        return last == null || (last.batch().file().equals(batch.file()) && last.batch().end() == batch.start());
    }

    void add(Batch batch, CompletableFuture<Void> confirm) {
        if (full() || !continuedBy(batch)) {
            throw new IllegalStateException("batch " + batch.messageId() + " does not fit the window");
        }
        sent.addLast(new Sent(batch, confirm));
    }

    /** How many more batches the window takes. */
    int free() {
        return capacity - sent.size();
    }

    /** The checkpoint to record before {@code next} is published: the window's start and every pending end, the new one last. */
    Checkpoint pendingWith(Batch next) {
        return pendingWith(List.of(next));
    }

    /**
     * The checkpoint to record before the {@code group} (consecutive, oldest first) is
     * published: the window's start, every pending end and then the group's ends, so one
     * write covers the whole group.
     */
    Checkpoint pendingWith(List<Batch> group) {
        Batch first = sent.isEmpty() ? group.get(0) : sent.peekFirst().batch();
        List<Long> ends = new ArrayList<>();
        for (Sent each : sent) {
            ends.add(each.batch().end());
        }
        for (Batch next : group) {
            ends.add(next.end());
        }
        return new Checkpoint(first.file(), first.start(), ends, group.get(group.size() - 1).seen());
    }

    /** The checkpoint of what the window still holds, or null when it is empty. */
    Checkpoint pending() {
        if (sent.isEmpty()) {
            return null;
        }
        Batch first = sent.peekFirst().batch();
        List<Long> ends = sent.stream().map(each -> each.batch().end()).toList();
        return new Checkpoint(first.file(), first.start(), ends, sent.peekLast().batch().seen());
    }

    /** Removes and returns the leading batches whose confirms succeeded, oldest first. */
    List<Batch> takeConfirmedPrefix() {
        List<Batch> confirmed = new ArrayList<>();
        while (!sent.isEmpty() && succeeded(sent.peekFirst().confirm())) {
            confirmed.add(sent.removeFirst().batch());
        }
        return confirmed;
    }

    /** The oldest batch's confirm, to wait for; null when the window is empty. */
    CompletableFuture<Void> oldest() {
        Sent first = sent.peekFirst();
        return first == null ? null : first.confirm();
    }

    /** Whether the oldest batch's confirm failed (nack, return, timeout, no connection). */
    boolean oldestFailed() {
        Sent first = sent.peekFirst();
        return first != null && first.confirm().isCompletedExceptionally();
    }

    /** Whether any confirm in the window failed: nothing more may be sent until the window is sent again from there. */
    boolean anyFailed() {
        return sent.stream().anyMatch(each -> each.confirm().isCompletedExceptionally());
    }

    /** Every confirm in the window, settled or not. */
    CompletableFuture<Void> allSettled() {
        return CompletableFuture.allOf(sent.stream().map(Sent::confirm)
                .map(confirm -> confirm.handle((ok, error) -> null)).toArray(CompletableFuture[]::new));
    }

    /** The batches in the window, oldest first. */
    List<Batch> batches() {
        return sent.stream().map(Sent::batch).toList();
    }

    /** Gives every batch a new confirm, from publishing it again: {@code confirms} in the window's order. */
    void resent(List<CompletableFuture<Void>> confirms) {
        if (confirms.size() != sent.size()) {
            throw new IllegalArgumentException(confirms.size() + " confirms for " + sent.size() + " batches");
        }
        List<Batch> batches = batches();
        sent.clear();
        for (int i = 0; i < batches.size(); i++) {
            sent.addLast(new Sent(batches.get(i), confirms.get(i)));
        }
    }

    private static boolean succeeded(CompletableFuture<Void> confirm) {
        return confirm.isDone() && !confirm.isCompletedExceptionally();
    }
}
