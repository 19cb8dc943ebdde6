package org.vlab.ipam.logs.forward;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.LogLine;

/** Lines handed out in order, as a test adds them; counts how often it was asked. */
final class ScriptedLines implements LineSource {

    private final Deque<LogLine> lines = new ArrayDeque<>();
    final AtomicInteger asked = new AtomicInteger();
    private FileIdentity lastFile;
    private long lastEnd;
    boolean closed;

    /** Appends lines of one file after the lines added before, continuing its offsets (even once they were read). */
    synchronized ScriptedLines add(FileIdentity file, String... texts) {
        long offset = file.equals(lastFile) ? lastEnd : 0;
        for (String text : texts) {
            long end = offset + text.length() + 1;
            lines.add(new LogLine(file, offset, end, text));
            offset = end;
        }
        lastFile = file;
        lastEnd = offset;
        return this;
    }

    synchronized boolean isEmpty() {
        return lines.isEmpty();
    }

    @Override
    public synchronized Optional<LogLine> next() {
        asked.incrementAndGet();
        return Optional.ofNullable(lines.poll());
    }

    @Override
    public long bytesBehind() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
