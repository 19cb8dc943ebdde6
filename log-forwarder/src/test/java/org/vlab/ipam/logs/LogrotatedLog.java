package org.vlab.ipam.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPOutputStream;

/**
 * A log written in numbered {@link SampleLines} (with a non-firewall line now and then) and
 * rotated as logrotate with {@code compress} and {@code delaycompress} does: older archives
 * shift ({@code .2.gz} to {@code .3.gz}), {@code .1} is compressed to {@code .2.gz} (keeping
 * its modification time) and removed, then the log becomes {@code .1} by rename, or by
 * {@code copytruncate}. It can also be cleared in place as {@code echo > kern.log} does. The
 * test calls each step itself, so it decides what happens while the forwarder is down.
 */
final class LogrotatedLog {

    private static final int NOISE_EVERY = 997;
    private static final int CHUNK = 5_000;

    private final Path log;
    private int written;
    private int archives;

    LogrotatedLog(Path log) {
        this.log = log;
    }

    /** Firewall lines written so far: lines 0 to this, exclusive. */
    int written() {
        return written;
    }

    /** Appends the next {@code count} firewall lines, in chunks as a syslog daemon flushes them. */
    void write(int count) {
        int end = written + count;
        while (written < end) {
            StringBuilder text = new StringBuilder();
            int chunkEnd = Math.min(end, written + CHUNK);
            for (; written < chunkEnd; written++) {
                text.append(SampleLines.line(written)).append('\n');
                if (written % NOISE_EVERY == NOISE_EVERY - 1) {
                    text.append(SampleLines.noise(written)).append('\n');
                }
            }
            append(text.toString());
        }
    }

    /** Rotation by rename, with {@code compress} and {@code delaycompress}. */
    void rotate() {
        shiftArchives();
        move(log, sibling(1));
    }

    /** Rotation by {@code copytruncate}, with {@code compress} and {@code delaycompress}. */
    void copyTruncate() {
        shiftArchives();
        try {
            Files.copy(log, sibling(1), StandardCopyOption.COPY_ATTRIBUTES);
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code echo > kern.log}: the log truncated in place, an empty line written. */
    void clearWithEcho() {
        try {
            Files.writeString(log, "\n", StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void shiftArchives() {
        for (int k = archives + 1; k >= 2; k--) {
            Path archive = archive(k);
            if (Files.exists(archive)) {
                move(archive, archive(k + 1));
            }
        }
        if (Files.exists(sibling(1))) {
            compress(sibling(1), archive(2));
            archives++;
        }
    }

    private void compress(Path from, Path to) {
        try {
            FileTime modified = Files.getLastModifiedTime(from);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to), 64 * 1024)) {
                Files.copy(from, out);
            }
            Files.setLastModifiedTime(to, modified);
            Files.delete(from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void append(String text) {
        try {
            Files.write(log, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path sibling(int k) {
        return log.resolveSibling(log.getFileName() + "." + k);
    }

    private Path archive(int k) {
        return log.resolveSibling(log.getFileName() + "." + k + ".gz");
    }
}
