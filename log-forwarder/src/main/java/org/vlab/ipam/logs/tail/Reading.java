package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.time.Instant;

/**
 * One file being read. Its logical identity is normally its own; when the rest of a
 * truncated file is read from the copy copy-truncate made of it, the copy carries the
 * original's identity on, so offsets, checkpoints and message ids stay those of one file.
 */
final class Reading implements LineReader.Check {

    final OpenLogFile file;
    /** The inode actually read. */
    final String key;
    final String logicalKey;
    final LineReader reader;
    /** Null until the file's first line is complete. */
    String fingerprint;
    private FileIdentity identity;
    Instant lastGrowth;
    long lastSize;
    Instant lastModified;
    /** Whether the file was at the log's path at the last look; read by the metrics thread. */
    volatile boolean atPath;
    volatile long consumed;

    Reading(OpenLogFile file, NextFile.Choice choice, Instant now) {
        FileSnapshot seen = choice.file();
        this.file = file;
        this.key = seen.key();
        this.logicalKey = choice.logicalKey();
        this.fingerprint = choice.fingerprint();
        this.reader = new LineReader(file, choice.offset());
        this.lastGrowth = now;
        this.lastSize = seen.size();
        this.lastModified = choice.modified() != null ? choice.modified() : seen.modified();
        this.consumed = choice.offset();
    }

    /** The file whose identity the lines carry, as last seen: kept with the checkpoint. */
    FileSeen seen() {
        return new FileSeen(lastModified, Math.max(lastSize, consumed));
    }

    /** The identity of the lines read, learning the fingerprint on the first complete line; null if the file changed. */
    FileIdentity identity() throws IOException {
        if (identity == null) {
            if (fingerprint == null) {
                fingerprint = file.fingerprint();
            }
            // made once, since every line carries it: a fingerprint once known is never replaced (a
            // rewritten file fails stillSame and ends this reading)
            identity = fingerprint == null ? null : new FileIdentity(logicalKey, fingerprint);
        }
        return identity;
    }

    @Override
    public boolean stillSame(long readUpTo) throws IOException {
        if (file.size() < readUpTo) {
            return false;
        }
        return fingerprint == null || fingerprint.equals(file.fingerprint());
    }

    void close() {
        try {
            file.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }
}
