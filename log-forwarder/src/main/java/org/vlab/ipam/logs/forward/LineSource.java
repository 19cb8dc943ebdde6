package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.util.Optional;
import org.vlab.ipam.logs.tail.LogLine;

/** The lines of the log in order, from where a checkpoint says (a tailer in production). */
interface LineSource extends AutoCloseable {

    /** The next line, or empty when none is there now. */
    Optional<LogLine> next() throws IOException;

    /** The bytes of the log not read yet. */
    long bytesBehind();

    @Override
    void close();

    /** Opens the log where the checkpoint says, or at the beginning of the file at the path when there is none. */
    @FunctionalInterface
    interface Opener {
        LineSource open(Optional<Checkpoint> checkpoint);
    }
}
