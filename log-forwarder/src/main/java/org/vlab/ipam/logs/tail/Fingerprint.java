package org.vlab.ipam.logs.tail;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint half of a {@link FileIdentity}: the first 8 bytes of the SHA-256 of the
 * file's start up to the end of its first line with content (its newline included; blank
 * lines before it are part of it), or of its first {@value #LENGTH} bytes when there is no
 * such line in them. A file without a complete line with content has no fingerprint yet.
 * Syslog lines start with a time stamp, so two files with the same first line do not happen
 * in practice; a log cleared with {@code echo > kern.log} starts with an empty line every
 * time, which is why blank lines do not count as the first line.
 */
final class Fingerprint {

    static final int LENGTH = 1024;

    private Fingerprint() {
    }

    /** The fingerprint of a file that starts with these bytes (at most {@value #LENGTH} of them), or null. */
    static String of(ByteBuffer start) {
        ByteBuffer head = start.duplicate();
        int end = -1;
        boolean content = false;
        for (int i = head.position(); i < head.limit(); i++) {
            byte b = head.get(i);
            if (b == '\n' && content) {
                end = i + 1;
                break;
            }
            content |= b != '\n' && b != '\r' && b != ' ' && b != '\t';
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
