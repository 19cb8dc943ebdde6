package org.vlab.ipam.logs.tail;

import java.time.Instant;
import java.util.Objects;

/**
 * The modification time and size of a file as the tailer last saw it, kept with a checkpoint:
 * if the file is gone by the next start, the files written after it are those modified at or
 * after this time (files before it were last written before its first line), and the bytes
 * past the checkpoint up to this size are known to be lost.
 */
public record FileSeen(Instant modified, long size) {

    public FileSeen {
        Objects.requireNonNull(modified, "modified");
        if (size < 0) {
            throw new IllegalArgumentException("a file's size is not negative: " + size);
        }
    }
}
