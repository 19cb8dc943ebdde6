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

    /** Passes everything on to another source; a subclass changes what it must (counts, faults). */
    class Delegating implements LineSource {

        private final LineSource lines;

        Delegating(LineSource lines) {
            this.lines = lines;
        }

        @Override
        public Optional<LogLine> next() throws IOException {
            return lines.next();
        }

        @Override
        public long bytesBehind() {
            return lines.bytesBehind();
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    /** Opens the log where the checkpoint says, or at the beginning of the file at the path when there is none. */
    @FunctionalInterface
    interface Opener {
        LineSource open(Optional<Checkpoint> checkpoint);
    }
}
