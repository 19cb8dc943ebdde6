package org.vlab.ipam.logs.tail;

import java.nio.file.Path;

/** What the tailer reports besides lines, for the metrics: the faults it steps over so forwarding goes on. */
public interface TailObserver {

    TailObserver NONE = new TailObserver() {
    };

    /** A rotated sibling could not be read (permissions, a symbolic-link loop, broken compression) and is skipped. */
    default void unreadable(Path file, Exception cause) {
    }

    /**
     * The checkpointed file is gone: its bytes from {@code offset} on (to {@code knownSize}
     * at least, when known; -1 otherwise) cannot be forwarded.
     */
    default void gap(FileIdentity file, long offset, long knownSize) {
    }
}
