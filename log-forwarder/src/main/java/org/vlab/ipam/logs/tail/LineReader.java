package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Splits an open file into complete lines with their byte offsets, from a given offset on. A
 * line is returned only once its newline has been written; the rest waits. Memory is one
 * buffer of {@value #MAX_LINE} bytes: a longer line is passed over and reported without text.
 * After every read the caller's {@link Check} confirms the file is still the one being read
 * (not truncated and rewritten under it); otherwise the bytes are dropped and
 * {@link #changed()} says so.
 */
final class LineReader {

    static final int MAX_LINE = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Confirms, after a read, that the file still holds what this reader started on. */
    interface Check {
        boolean stillSame(long readUpTo) throws IOException;
    }

    /** A line from [start, end) of the file, the newline included in the range; text null when too long. */
    record RawLine(long start, long end, String text) {
    }

    private final OpenLogFile file;
    private final byte[] buffer;
    private long base;
    private int head;
    private int tail;
    private int scanned;
    private long overlongStart = -1;
    private boolean changed;

    LineReader(OpenLogFile file, long offset) {
        this(file, offset, MAX_LINE);
    }

    LineReader(OpenLogFile file, long offset, int maxLine) {
        this.file = file;
        this.base = offset;
        this.buffer = new byte[maxLine];
    }

    /** The offset after the last line returned: where reading resumes. */
    long consumed() {
        return overlongStart >= 0 ? overlongStart : base + head;
    }

    /** True when a read found the file changed under this reader; it returns no more lines. */
    boolean changed() {
        return changed;
    }

    /** The next complete line, or null when there is none yet (or the file changed). */
    RawLine next(Check check) throws IOException {
        while (!changed) {
            int newline = indexOfNewline();
            if (newline >= 0) {
                long start = consumed();
                String text = overlongStart >= 0 ? null : decode(head, newline);
                overlongStart = -1;
                head = newline + 1;
                scanned = head;
                return new RawLine(start, base + head, text);
            }
            makeRoom();
            int read = file.read(ByteBuffer.wrap(buffer, tail, buffer.length - tail), base + tail);
            if (read <= 0) {
                return null;
            }
            if (!check.stillSame(base + tail + read)) {
                changed = true;
                return null;
            }
            tail += read;
        }
        return null;
    }

    /** What follows the last complete line: the unterminated end of a file that will not grow any more, or null. */
    RawLine rest() {
        if (overlongStart < 0 && tail == head) {
            return null;
        }
        long start = consumed();
        String text = overlongStart >= 0 ? null : decode(head, tail);
        overlongStart = -1;
        head = tail;
        scanned = tail;
        return new RawLine(start, base + tail, text);
    }

    private int indexOfNewline() {
        int i = scanned;
        // eight bytes at a time: the reader looks at every byte of the log, and this was a fifth of its time
        for (; i + Long.BYTES <= tail; i += Long.BYTES) {
            long newlines = (long) LONGS.get(buffer, i) ^ NEWLINES;
            long found = (newlines - ONES) & ~newlines & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < tail; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        scanned = tail;
        return -1;
    }

    /** Frees the buffer's consumed start; a full buffer without a newline is an over-long line, passed over. */
    private void makeRoom() {
        if (head == tail) {
            base += head;
            head = tail = scanned = 0;
        } else if (tail == buffer.length) {
            if (head > 0) {
                System.arraycopy(buffer, head, buffer, 0, tail - head);
                base += head;
                tail -= head;
                scanned -= head;
                head = 0;
            } else {
                if (overlongStart < 0) {
                    overlongStart = base;
                }
                base += tail;
                head = tail = scanned = 0;
            }
        }
    }

    private String decode(int from, int to) {
        int end = to > from && buffer[to - 1] == '\r' ? to - 1 : to;
        return new String(buffer, from, end - from, StandardCharsets.UTF_8);
    }
}
