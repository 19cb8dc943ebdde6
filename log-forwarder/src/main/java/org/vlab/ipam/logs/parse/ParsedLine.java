package org.vlab.ipam.logs.parse;

import java.util.Objects;
import org.vlab.ipam.events.FirewallLogRecord;

/** What one line of the log became: a record, or the reason it was skipped. */
public record ParsedLine(FirewallLogRecord record, SkipReason skipped) {

    public ParsedLine {
        if ((record == null) == (skipped == null)) {
            throw new IllegalArgumentException("a parsed line is either a record or skipped");
        }
    }

    public static ParsedLine of(FirewallLogRecord record) {
        return new ParsedLine(Objects.requireNonNull(record), null);
    }

    public static ParsedLine skipped(SkipReason reason) {
        return new ParsedLine(null, Objects.requireNonNull(reason));
    }

    public boolean isRecord() {
        return record != null;
    }
}
