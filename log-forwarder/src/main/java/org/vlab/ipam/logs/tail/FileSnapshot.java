package org.vlab.ipam.logs.tail;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What a look at one file found.
 *
 * @param key the device and inode
 * @param fingerprint see {@link Fingerprint}; null while the file's first line is incomplete
 */
public record FileSnapshot(Path path, String key, long size, Instant modified, String fingerprint) {

    boolean is(FileIdentity identity) {
        return key.equals(identity.key()) && identity.fingerprint().equals(fingerprint);
    }

    boolean startsLike(FileIdentity identity) {
        return identity.fingerprint().equals(fingerprint);
    }
}
