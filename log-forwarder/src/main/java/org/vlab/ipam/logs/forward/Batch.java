package org.vlab.ipam.logs.forward;

import java.util.List;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.events.LogSource;
import org.vlab.ipam.logs.tail.FileIdentity;

/**
 * Consecutive lines [start, end) of one file, as read, with the records they held.
 *
 * @param lines how many lines the range holds, records and skipped lines together
 */
record Batch(FileIdentity file, long start, long end, List<FirewallLogRecord> records, int lines) {

    Batch {
        records = List.copyOf(records);
    }

    /**
     * {@code <dev>:<ino>:<fingerprint>@<start>-<end>}: the same bytes of the same file always
     * get the same id, so the batch published again after a crash is recognisable.
     */
    String messageId() {
        return file.id() + "@" + start + "-" + end;
    }

    FirewallLogBatch message(GatewayId gateway) {
        return new FirewallLogBatch(gateway, new LogSource(file.id(), start, end), records);
    }
}
