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
 */
record BatchSettings(int size, Duration linger, Duration poll, Duration retryFirst, Duration retryMax, int inFlight) {

    BatchSettings {
        if (size < 1 || inFlight < 1) {
            throw new IllegalArgumentException("a batch holds at least one record and at least one is in flight; got "
                    + size + " and " + inFlight);
        }
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
