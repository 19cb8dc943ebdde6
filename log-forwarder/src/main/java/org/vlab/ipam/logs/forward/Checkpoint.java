package org.vlab.ipam.logs.forward;

import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.FileSeen;
import org.vlab.ipam.logs.tail.Resume;

/**
 * How far the log has been forwarded: everything of {@code file} before {@code offset} is
 * confirmed by the broker. {@code pendingEnd}, when present, says a batch [offset, pendingEnd)
 * may have been published without its confirm being recorded; after a crash exactly that
 * range is read and published again, under the same message id, so a consumer recognises the
 * duplicate. {@code seen} is how the file looked when the batch was read, so that if the file
 * is gone by the next start the files written after it can still be found (null in
 * checkpoints written before it was kept).
 */
record Checkpoint(FileIdentity file, long offset, Long pendingEnd, FileSeen seen) {

    Checkpoint(FileIdentity file, long offset, Long pendingEnd) {
        this(file, offset, pendingEnd, null);
    }

    Checkpoint {
        if (file == null || offset < 0 || (pendingEnd != null && pendingEnd <= offset)) {
            throw new IllegalArgumentException("a checkpoint needs a file, an offset >= 0 and a pending end past it; got "
                    + file + " " + offset + ".." + pendingEnd);
        }
    }

    static Checkpoint confirmed(FileIdentity file, long offset) {
        return new Checkpoint(file, offset, null);
    }

    static Checkpoint confirmed(Batch batch) {
        return new Checkpoint(batch.file(), batch.end(), null, batch.seen());
    }

    static Checkpoint pending(Batch batch) {
        return new Checkpoint(batch.file(), batch.start(), batch.end(), batch.seen());
    }

    /** Where the tailer starts after this checkpoint. */
    Resume resume() {
        return new Resume(file, offset, seen);
    }
}
