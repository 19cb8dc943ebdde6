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
    boolean closed;

    /** Appends lines of one file after what it already holds, continuing its offsets. */
    synchronized ScriptedLines add(FileIdentity file, String... texts) {
        long offset = lines.isEmpty() || !lines.peekLast().file().equals(file) ? 0 : lines.peekLast().end();
        for (String text : texts) {
            long end = offset + text.length() + 1;
            lines.add(new LogLine(file, offset, end, text));
            offset = end;
        }
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
