package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, parses and cuts batches on a thread of its own, up to {@code capacity} batches ahead of
 * the forwarding thread, so reading the next batches overlaps the JSON, the checkpoint's write
 * to the disk and the publishing of the ones before. Batches come out in the order they were
 * cut.
 * Whatever ends the reading (an I/O error, a bug) comes out after the batches cut before it and
 * is thrown on the forwarding thread, where it ends the session as it would have there.
 * While publishing is retried the reader stops once {@code capacity} batches wait: memory
 * stays bounded. Batches read ahead are in no checkpoint: after a crash they are read again.
 */
final class ReadAhead implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** What ended the reading, queued behind the batches read before it. */
    private record Failure(Throwable cause) {
    }

    private final BlockingQueue<Object> queue;
    private final Thread reader;
    private volatile boolean closing;
    /** A failure taken from the queue behind batches already returned: the next call throws it. */
    private Failure carried;

    ReadAhead(BatchCollector collector, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.reader = new Thread(() -> read(collector), "log-forwarder-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(BatchCollector collector) {
        try {
            while (true) {
                queue.put(collector.next());
            }
        } catch (Throwable e) {
            if (closing) {
                return;
            }
            try {
                queue.put(new Failure(e));
            } catch (InterruptedException stopped) {
                // closed while the forwarding thread was not taking anything
            }
        }
    }

    /**
     * The next batch, waiting for it (running {@code idle} after each {@code poll} without one),
     * and the batches already cut behind it: at most {@code room}.
     */
    List<Batch> next(int room, Duration poll, BatchCollector.Idle idle) throws IOException, InterruptedException {
        Object item = carried;
        carried = null;
        while (item == null) {
            item = queue.poll(poll.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                idle.meanwhile();
            }
        }
        List<Batch> batches = new ArrayList<>();
        while (item instanceof Batch batch) {
            batches.add(batch);
            if (batches.size() >= room) {
                return batches;
            }
            item = queue.poll();
        }
        if (item instanceof Failure failure) {
            if (!batches.isEmpty()) {
                carried = failure;
                return batches;
            }
            throw rethrown(failure.cause());
        }
        return batches;
    }

    private static IOException rethrown(Throwable cause) throws InterruptedException {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException("reading the log failed", cause);
    }

    /**
     * Stops the reader and waits for it, so the line source can be closed with nobody reading it.
     * Waits even when the calling thread was interrupted (a shutdown interrupting a checkpoint
     * write): the interrupt is kept for the caller, not spent on skipping the wait.
     */
    @Override
    public void close() {
        closing = true;
        reader.interrupt();
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (reader.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (reader.isAlive()) {
            log.warn("The log reader did not stop within {} (blocked reading the log?); closing the log anyway",
                    STOP_WAIT);
        }
    }

    /** How many batches (and failures) wait to be taken: for tests. */
    int waiting() {
        return queue.size();
    }

    /** Whether the reading thread still runs: for tests of closing. */
    boolean readerAlive() {
        return reader.isAlive();
    }
}
