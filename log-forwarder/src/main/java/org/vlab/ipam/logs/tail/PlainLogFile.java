package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A log file that is not compressed, read straight through its channel: the counterpart of {@link GzipLogFile}. */
final class PlainLogFile implements OpenLogFile {

    private final FileChannel channel;

    PlainLogFile(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer into, long position) throws IOException {
        return channel.read(into, position);
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public String fingerprint() throws IOException {
        return fingerprint(channel);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The fingerprint of what the file starts with now (see {@link Fingerprint}), or null. */
    static String fingerprint(FileChannel channel) throws IOException {
        ByteBuffer start = ByteBuffer.allocate(Fingerprint.LENGTH);
        while (start.hasRemaining() && channel.read(start, start.position()) > 0) {
            // read until the buffer is full or the file ends
        }
        start.flip();
        return Fingerprint.of(start);
    }
}
