package org.vlab.ipam.logs.forward;

import java.util.List;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.events.LogSource;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.FileSeen;
import org.vlab.ipam.messaging.EncodedMessage;

/**
 * Consecutive lines [start, end) of one file, as read, with the records they held.
 *
 * @param lines how many lines the range holds, records and skipped lines together
 * @param seen how the file looked when its last line was read, or null
 * @param encoded the records' message with its JSON written, or null until {@link #encodedFor} wrote it
 */
record Batch(FileIdentity file, long start, long end, List<FirewallLogRecord> records, int lines, FileSeen seen,
        EncodedMessage encoded) {

    Batch {
        records = List.copyOf(records);
        if (encoded != null && !(encoded.message() instanceof FirewallLogBatch written
                && written.source().equals(source(file, start, end)) && written.records().equals(records))) {
            throw new IllegalArgumentException("the JSON written for batch " + file.id() + "@" + start + "-" + end
                    + " is another batch's: " + encoded);
        }
    }

    Batch(FileIdentity file, long start, long end, List<FirewallLogRecord> records, int lines, FileSeen seen) {
        this(file, start, end, records, lines, seen, null);
    }

    Batch(FileIdentity file, long start, long end, List<FirewallLogRecord> records, int lines) {
        this(file, start, end, records, lines, null, null);
    }

    /**
     * This batch with its message's JSON written, once: the forwarding thread writes it after
     * taking the batch (mostly once a checkpoint records it), and a batch sent again sends it
     * again. A batch without records has nothing to publish.
     */
    Batch encodedFor(GatewayId gateway) {
        if (records.isEmpty() || encoded != null && ((FirewallLogBatch) encoded.message()).gateway().equals(gateway)) {
            return this;
        }
        return new Batch(file, start, end, records, lines, seen, EncodedMessage.of(message(gateway)));
    }

    /**
     * {@code <dev>:<ino>:<fingerprint>@<start>-<end>}: the same bytes of the same file always
     * get the same id, so the batch published again after a crash is recognisable.
     */
    String messageId() {
        return file.id() + "@" + start + "-" + end;
    }

    FirewallLogBatch message(GatewayId gateway) {
        return new FirewallLogBatch(gateway, source(file, start, end), records);
    }

    private static LogSource source(FileIdentity file, long start, long end) {
        return new LogSource(file.id(), start, end);
    }
}
