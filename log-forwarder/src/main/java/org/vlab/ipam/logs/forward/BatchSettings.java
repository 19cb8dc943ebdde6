package org.vlab.ipam.logs.forward;

import java.time.Duration;

/**
 * How batches are cut and retried.
 *
 * @param size the most records a batch holds
 * @param linger how long a batch waits for more lines after its first one
 * @param poll how long to wait when the log has nothing new
 * @param retryFirst the first wait after a failed publish
 * @param retryMax the longest wait between publish attempts
 * @param inFlight the most batches published and not yet confirmed at once
 * @param readAhead the most batches cut ahead by a reading thread of their own
 *        ({@link ReadAhead}); 0 reads on the forwarding thread, between publishes
 */
record BatchSettings(int size, Duration linger, Duration poll, Duration retryFirst, Duration retryMax, int inFlight,
        int readAhead) {

    BatchSettings {
        if (size < 1 || inFlight < 1 || readAhead < 0) {
            throw new IllegalArgumentException("a batch holds at least one record, at least one is in flight and "
                    + "none or more are read ahead; got " + size + ", " + inFlight + " and " + readAhead);
        }
    }

    /**
     * As deployed: a reading thread cuts up to twice the window ahead, as many as the window and
     * the batches recorded behind it hold ({@link ForwardingSession#roomWithBatchesBehind}), so
     * they are ready when confirms free the window.
     */
    static BatchSettings readingAhead(int size, Duration linger, Duration poll, Duration retryFirst,
            Duration retryMax, int inFlight) {
        return new BatchSettings(size, linger, poll, retryFirst, retryMax, inFlight, 2 * inFlight);
    }

    /** Read on the forwarding thread. */
    BatchSettings(int size, Duration linger, Duration poll, Duration retryFirst, Duration retryMax, int inFlight) {
        this(size, linger, poll, retryFirst, retryMax, inFlight, 0);
    }

    /** One batch in flight at a time. */
    BatchSettings(int size, Duration linger, Duration poll, Duration retryFirst, Duration retryMax) {
        this(size, linger, poll, retryFirst, retryMax, 1);
    }

    /** A batch of skipped lines only also ends, so the checkpoint moves on through long stretches without records. */
    int maxLines() {
        return size * 10;
    }
}
