package org.vlab.ipam.logs.forward;

import java.util.ArrayList;
import java.util.List;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.FileSeen;
import org.vlab.ipam.logs.tail.Resume;

/**
 * How far the log has been forwarded: everything of {@code file} before {@code offset} is
 * confirmed by the broker. {@code pendingEnds}, when not empty, say that the consecutive
 * batches [offset, e1), [e1, e2), … may have been published without their confirms being
 * recorded (several batches are in flight at once); after a crash exactly those ranges are
 * read and published again, each under its own message id, so a consumer recognises the
 * duplicates. {@code seen} is how the file looked when the last of them was read, so that if
 * the file is gone by the next start the files written after it can still be found (null in
 * checkpoints written before it was kept).
 */
record Checkpoint(FileIdentity file, long offset, List<Long> pendingEnds, FileSeen seen) {

    Checkpoint {
        pendingEnds = pendingEnds == null ? List.of() : List.copyOf(pendingEnds);
        if (file == null || offset < 0 || !ascendingFrom(offset, pendingEnds)) {
            throw new IllegalArgumentException("a checkpoint needs a file, an offset >= 0 and pending ends rising "
                    + "past it; got " + file + " " + offset + ".." + pendingEnds);
        }
    }

    /** A checkpoint with at most one pending batch, as all of them were before batches were pipelined. */
    Checkpoint(FileIdentity file, long offset, Long pendingEnd, FileSeen seen) {
        this(file, offset, pendingEnd == null ? List.of() : List.of(pendingEnd), seen);
    }

    Checkpoint(FileIdentity file, long offset, Long pendingEnd) {
        this(file, offset, pendingEnd, null);
    }

    static Checkpoint confirmed(FileIdentity file, long offset) {
        return new Checkpoint(file, offset, List.of(), null);
    }

    static Checkpoint confirmed(Batch batch) {
        return new Checkpoint(batch.file(), batch.end(), List.of(), batch.seen());
    }

    /** The end of the last pending batch, or null when none is pending. */
    Long pendingEnd() {
        return pendingEnds.isEmpty() ? null : pendingEnds.get(pendingEnds.size() - 1);
    }

    /**
     * Whether the consecutive batches are, one for one, consecutive pending ranges: then they
     * may be published with no further write, since a crash replays each range under its
     * batch's id.
     */
    boolean recordsPending(List<Batch> batches) {
        if (batches.isEmpty() || !file.equals(batches.get(0).file())) {
            return false;
        }
        int next = rangeStartingAt(batches.get(0).start());
        if (next < 0) {
            return false;
        }
        for (Batch batch : batches) {
            if (next >= pendingEnds.size() || pendingEnds.get(next) != batch.end()) {
                return false;
            }
            next++;
        }
        return true;
    }

    /**
     * This checkpoint, still recording the pending ranges of {@code earlier} that follow on from
     * its own (ranges a crash left, or recorded ahead, that are neither in flight nor confirmed
     * yet): copies of them may have been published, so a write of the confirmed prefix must not
     * forget them before they are published again under the same ids.
     */
    Checkpoint keepingPendingOf(Checkpoint earlier) {
        if (earlier == null || !earlier.file.equals(file)) {
            return this;
        }
        Long pendingEnd = pendingEnd();
        int next = earlier.rangeStartingAt(pendingEnd == null ? offset : pendingEnd);
        if (next < 0 || next >= earlier.pendingEnds.size()) {
            return this;
        }
        List<Long> ends = new ArrayList<>(pendingEnds);
        ends.addAll(earlier.pendingEnds.subList(next, earlier.pendingEnds.size()));
        return new Checkpoint(file, offset, ends, seen);
    }

    /** The index of the pending range that starts at {@code position}, or -1 if none does. */
    private int rangeStartingAt(long position) {
        if (position == offset) {
            return 0;
        }
        int end = pendingEnds.indexOf(position);
        return end < 0 ? -1 : end + 1;
    }

    /** Where the tailer starts after this checkpoint. */
    Resume resume() {
        return new Resume(file, offset, seen);
    }

    private static boolean ascendingFrom(long offset, List<Long> ends) {
        long previous = offset;
        for (Long end : ends) {
            if (end == null || end <= previous) {
                return false;
            }
            previous = end;
        }
        return true;
    }
}
