package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.zip.GZIPInputStream;

/**
 * A rotated file logrotate compressed with gzip ({@code compress}, with or without
 * {@code delaycompress}), read as the log it was: sizes and offsets are positions in the
 * uncompressed stream, so a checkpoint taken in {@code kern.log.1} still holds when that file
 * is {@code kern.log.2.gz} by the next start. Reading is sequential; going back starts the
 * stream over. A file that does not decompress to its end (still being written by the
 * compressor, or damaged) cannot be measured and is reported as unreadable.
 */
final class GzipLogFile implements OpenLogFile {

    /** The uncompressed size and the fingerprint of a compressed file, found by reading it through once. */
    record Measure(long size, String fingerprint) {
    }

    private static final int CHUNK = 64 * 1024;

    private final FileChannel channel;
    private final Measure measure;
    private InputStream stream;
    private long position;

    GzipLogFile(FileChannel channel, Measure measure) {
        this.channel = channel;
        this.measure = measure;
    }

    /** Reads the whole file once: its uncompressed size and the fingerprint of its start; fails if it is incomplete. */
    static Measure measure(FileChannel channel) throws IOException {
        try (InputStream in = inflate(channel)) {
            ByteBuffer start = ByteBuffer.allocate(Fingerprint.LENGTH);
            byte[] chunk = new byte[CHUNK];
            long size = 0;
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                int keep = Math.min(read, start.remaining());
                start.put(chunk, 0, keep);
                size += read;
            }
            start.flip();
            return new Measure(size, Fingerprint.of(start));
        }
    }

    private static InputStream inflate(FileChannel channel) throws IOException {
        channel.position(0);
        // not closing the stream: the caller closes the channel
        return new GZIPInputStream(Channels.newInputStream(new Unclosable(channel)), CHUNK);
    }

    /** Reads into a heap buffer (the line reader's). */
    @Override
    public int read(ByteBuffer into, long at) throws IOException {
        if (at >= measure.size()) {
            return -1;
        }
        if (stream == null || at < position) {
            stream = inflate(channel);
            position = 0;
        }
        while (position < at) {
            long skipped = stream.skip(at - position);
            if (skipped <= 0) {
                return -1;
            }
            position += skipped;
        }
        int read = stream.read(into.array(), into.arrayOffset() + into.position(), into.remaining());
        if (read > 0) {
            into.position(into.position() + read);
            position += read;
        }
        return read;
    }

    @Override
    public long size() {
        return measure.size();
    }

    @Override
    public String fingerprint() {
        return measure.fingerprint();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The channel as a stream that leaves it open, so the stream can start over on the same open file. */
    private record Unclosable(FileChannel channel) implements java.nio.channels.ReadableByteChannel {

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
        }
    }
}
