package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a batch of log records was read: the file's identity (inode and a fingerprint of
 * its first bytes) and the byte range [startOffset, endOffset). Together they make the batch's
 * message id, so a consumer can drop the duplicates a crash of the forwarder may cause.
 */
public record LogSource(String fileId, @JsonProperty(required = true) long startOffset, @JsonProperty(required = true) long endOffset) {

    public LogSource {
        Require.text(fileId, "file_id", 128);
        if (startOffset < 0 || endOffset < startOffset) {
            throw new IllegalArgumentException("log source needs 0 <= start_offset <= end_offset; got "
                    + startOffset + ".." + endOffset);
        }
    }
}
