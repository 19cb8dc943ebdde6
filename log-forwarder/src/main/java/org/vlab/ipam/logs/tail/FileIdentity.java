package org.vlab.ipam.logs.tail;

import java.util.Objects;

/**
 * Which file a position belongs to: its inode (with the device) and a fingerprint of its
 * first line. The inode alone is not enough: after a file is deleted the file system reuses
 * its inode for the next file, and an offset into the old file would silently skip the start
 * of the new one. The first line is written once and never changes while the file lives, so
 * the fingerprint is stable from the first complete line on.
 *
 * @param key the device and inode, such as {@code 2049:131075}
 * @param fingerprint the hex digest of the first line (see {@link Fingerprint})
 */
public record FileIdentity(String key, String fingerprint) {

    public FileIdentity {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** The identity as one string, the {@code file_id} of the batches read from it: {@code <dev>:<ino>:<fingerprint>}. */
    public String id() {
        return key + ":" + fingerprint;
    }
}
