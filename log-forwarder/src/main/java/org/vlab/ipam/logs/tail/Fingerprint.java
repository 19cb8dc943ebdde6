package org.vlab.ipam.logs.tail;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint half of a {@link FileIdentity}: the first 8 bytes of the SHA-256 of the
 * file's first line (with its newline), or of its first {@value #LENGTH} bytes when the first
 * line is longer. A file whose first line is not complete yet has no fingerprint. Syslog lines
 * start with a time stamp, so two files with the same first line do not happen in practice.
 */
final class Fingerprint {

    static final int LENGTH = 1024;

    private Fingerprint() {
    }

    /** The fingerprint of a file that starts with these bytes (at most {@value #LENGTH} of them), or null. */
    static String of(ByteBuffer start) {
        ByteBuffer head = start.duplicate();
        int end = -1;
        for (int i = head.position(); i < head.limit(); i++) {
            if (head.get(i) == '\n') {
                end = i + 1;
                break;
            }
        }
        if (end < 0) {
            if (head.remaining() < LENGTH) {
                return null;
            }
            end = head.position() + LENGTH;
        }
        head.limit(end);
        return HexFormat.of().formatHex(sha256().digest(toArray(head)), 0, 8);
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
