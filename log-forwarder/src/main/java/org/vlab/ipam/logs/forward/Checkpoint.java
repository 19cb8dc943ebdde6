package org.vlab.ipam.logs.forward;

import org.vlab.ipam.logs.tail.FileIdentity;

/**
 * How far the log has been forwarded: everything of {@code file} before {@code offset} is
 * confirmed by the broker. {@code pendingEnd}, when present, says a batch [offset, pendingEnd)
 * may have been published without its confirm being recorded; after a crash exactly that
 * range is read and published again, under the same message id, so a consumer recognises the
 * duplicate.
 */
record Checkpoint(FileIdentity file, long offset, Long pendingEnd) {

    Checkpoint {
        if (file == null || offset < 0 || (pendingEnd != null && pendingEnd <= offset)) {
            throw new IllegalArgumentException("a checkpoint needs a file, an offset >= 0 and a pending end past it; got "
                    + file + " " + offset + ".." + pendingEnd);
        }
    }

    static Checkpoint confirmed(FileIdentity file, long offset) {
        return new Checkpoint(file, offset, null);
    }

    static Checkpoint pending(Batch batch) {
        return new Checkpoint(batch.file(), batch.start(), batch.end());
    }
}
