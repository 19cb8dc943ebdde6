package org.vlab.ipam.logs.tail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** An open log file in memory, for the reader's unit tests: it grows and shrinks as the test says. */
final class BytesFile implements OpenLogFile {

    private final ByteArrayOutputStream content = new ByteArrayOutputStream();

    BytesFile append(String text) {
        content.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    BytesFile truncate() {
        content.reset();
        return this;
    }

    @Override
    public int read(ByteBuffer into, long position) {
        byte[] bytes = content.toByteArray();
        if (position >= bytes.length) {
            return -1;
        }
        int length = (int) Math.min(into.remaining(), bytes.length - position);
        into.put(bytes, (int) position, length);
        return length;
    }

    @Override
    public long size() {
        return content.size();
    }

    @Override
    public String fingerprint() {
        byte[] bytes = content.toByteArray();
        return Fingerprint.of(ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, Fingerprint.LENGTH)));
    }

    @Override
    public void close() {
    }
}
