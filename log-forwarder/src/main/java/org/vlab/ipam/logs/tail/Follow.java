package org.vlab.ipam.logs.tail;

import java.time.Duration;

/**
 * What to do when the file being read has no complete line left: the decision at the heart
 * of following a log through rotation, made from what a look at the log's path found.
 */
enum Follow {
    /** Wait: more may still be written to the file being read. */
    STAY,
    /**
     * The file at the path is still the one being read, but it shrank below the read offset
     * or starts differently now: it was truncated (copy-truncate) and perhaps written again.
     */
    TRUNCATED,
    /**
     * The file being read is no longer at the path (renamed away or deleted) and its writer has
     * moved on: finish it and go on to the next file.
     */
    ROTATED;

    /**
     * @param reading the inode of the file being read
     * @param fingerprint its fingerprint, null while its first line is incomplete
     * @param offset where reading stands (after the last complete line)
     * @param size the size of the file being read, through the open handle
     * @param atPath the file at the log's path now, or null when there is none
     * @param idle how long the file being read has not grown
     * @param grace how long a renamed-away file is given to stop growing while nothing new is
     *        written at the path (a writer that has not reopened its log yet still writes to it)
     */
    static Follow decide(String reading, String fingerprint, long offset, long size, FileSnapshot atPath,
            Duration idle, Duration grace) {
        if (atPath != null && atPath.key().equals(reading)) {
            boolean shrank = size < offset;
            boolean rewritten = fingerprint != null && atPath.fingerprint() != null
                    && !fingerprint.equals(atPath.fingerprint());
            return shrank || rewritten ? TRUNCATED : STAY;
        }
        boolean quiet = idle.compareTo(grace) >= 0;
        if (size > offset) {
            // an unterminated last line: give its writer the grace period to finish it
            return quiet ? ROTATED : STAY;
        }
        boolean newFileWritten = atPath != null && atPath.size() > 0;
        return newFileWritten || quiet ? ROTATED : STAY;
    }
}
