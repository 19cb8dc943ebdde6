package org.vlab.ipam.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes numbered {@link SampleLines} to a log at a steady rate, as rsyslog would, with a
 * non-firewall line now and then, and rotates the log as logrotate does: rotated files shift
 * ({@code .1} to {@code .2} ...), the log becomes {@code .1} by rename (then a new log is
 * created), or, once, is copied to {@code .1} and truncated in place. The writer itself does
 * the copy-truncate, so no line is written between the copy and the truncate: lines written
 * there are lost by copy-truncate in any log shipper, which is why logrotate's documentation
 * warns about it.
 */
public final class LogWriter implements Runnable {

    /** A systemd line after every this many firewall lines. */
    private static final int NOISE_EVERY = 997;

    private final Path log;
    private final int lines;
    private final int rotations;
    private final int copyTruncateAt;
    private final int linesPerSecond;
    private final AtomicInteger written = new AtomicInteger();
    private volatile Throwable failure;
    private volatile boolean done;
    private int rotated;

    /**
     * @param rotations how many times the log is rotated, evenly spread over the lines
     * @param copyTruncateAt which rotation (1-based) is a copy-truncate; the others are renames
     */
    public LogWriter(Path log, int lines, int rotations, int copyTruncateAt, int linesPerSecond) {
        this.log = log;
        this.lines = lines;
        this.rotations = rotations;
        this.copyTruncateAt = copyTruncateAt;
        this.linesPerSecond = linesPerSecond;
    }

    public Thread start() {
        Thread thread = new Thread(this, "log-writer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Firewall lines written so far. */
    public int written() {
        return written.get();
    }

    public boolean done() {
        if (failure != null) {
            throw new IllegalStateException("the log writer failed", failure);
        }
        return done;
    }

    public int rotationsDone() {
        return rotated;
    }

    @Override
    public void run() {
        try {
            write();
            done = true;
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    private void write() throws IOException {
        int chunk = Math.max(1, linesPerSecond / 100);
        int rotateEvery = lines / (rotations + 1);
        long start = System.nanoTime();
        OutputStream out = open();
        try {
            for (int n = 0; n < lines; ) {
                StringBuilder text = new StringBuilder();
                int end = Math.min(lines, n + chunk);
                if (rotated < rotations && end > rotateEvery * (rotated + 1)) {
                    end = rotateEvery * (rotated + 1);
                }
                for (; n < end; n++) {
                    text.append(SampleLines.line(n)).append('\n');
                    if (n % NOISE_EVERY == NOISE_EVERY - 1) {
                        text.append(SampleLines.noise(n)).append('\n');
                    }
                }
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                written.set(n);
                if (rotated < rotations && n == rotateEvery * (rotated + 1)) {
                    rotated++;
                    out = rotate(out, rotated == copyTruncateAt);
                }
                pace(start, n);
            }
        } finally {
            out.close();
        }
    }

    private OutputStream open() throws IOException {
        return Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private OutputStream rotate(OutputStream out, boolean copyTruncate) throws IOException {
        for (int k = rotations; k >= 1; k--) {
            Path older = sibling(k);
            if (Files.exists(older)) {
                Files.move(older, sibling(k + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (copyTruncate) {
            Files.copy(log, sibling(1));
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            return out;
        }
        out.close();
        Files.move(log, sibling(1), StandardCopyOption.ATOMIC_MOVE);
        return open();
    }

    private Path sibling(int k) {
        return log.resolveSibling(log.getFileName() + "." + k);
    }

    /** Keeps to the rate: a steady writer, not a burst. */
    private void pace(long start, int n) {
        long due = start + TimeUnit.SECONDS.toNanos(1) * n / linesPerSecond;
        long early = due - System.nanoTime();
        if (early > 0) {
            LockSupport.parkNanos(early);
        }
    }
}
