package org.vlab.ipam.logs.tail;

/**
 * Where the tailer starts: at {@code offset} of {@code file}, wherever that file (or a copy of
 * it) is found beside the log.
 *
 * @param seen the file as last seen, null in checkpoints written before it was kept
 */
public record Resume(FileIdentity file, long offset, FileSeen seen) {

    public Resume {
        if (file == null || offset < 0) {
            throw new IllegalArgumentException("a resume point needs a file and an offset >= 0");
        }
    }
}
