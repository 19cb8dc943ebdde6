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
 */
record BatchSettings(int size, Duration linger, Duration poll, Duration retryFirst, Duration retryMax) {

    /** A batch of skipped lines only also ends, so the checkpoint moves on through long stretches without records. */
    int maxLines() {
        return size * 10;
    }
}
