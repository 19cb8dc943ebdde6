package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.parse.ParsedLine;
import org.vlab.ipam.logs.parse.SkipReason;
import org.vlab.ipam.logs.tail.FileSeen;
import org.vlab.ipam.logs.tail.LogLine;

/**
 * Cuts the lines into batches: a batch ends when it holds {@link BatchSettings#size()}
 * records, when {@link BatchSettings#linger()} has passed since its first line, when the next
 * line belongs to another file (or does not follow on), or where the batch left pending by a
 * crash ended, so that batch is published again exactly (its linger does not apply). It reads only when asked for the
 * next batch, so while a batch waits for its confirm nothing more is read.
 */
final class BatchCollector {

    private static final Logger log = LoggerFactory.getLogger(BatchCollector.class);

    private final LineSource lines;
    private final FirewallLineParser parser;
    private final BatchSettings settings;
    private final Clock clock;
    private final Pause pause;
    private final ForwarderMetrics metrics;
    private Checkpoint replay;
    private LogLine carried;

    /** @param replay the checkpoint when it names a pending batch to publish again, else null */
    BatchCollector(LineSource lines, FirewallLineParser parser, BatchSettings settings, Clock clock, Pause pause,
            ForwarderMetrics metrics, Checkpoint replay) {
        this.lines = lines;
        this.parser = parser;
        this.settings = settings;
        this.clock = clock;
        this.pause = pause;
        this.metrics = metrics;
        this.replay = replay != null && replay.pendingEnd() != null ? replay : null;
    }

    /** The next batch; waits (polling the log) until there is one. */
    Batch next() throws IOException, InterruptedException {
        Builder batch = null;
        while (true) {
            LogLine line = carried != null ? carried : lines.next().orElse(null);
            carried = null;
            Instant now = clock.instant();
            if (line == null) {
                if (batch == null) {
                    pause.sleep(settings.poll());
                } else if (batch.expired(now)) {
                    return batch.build();
                } else {
                    pause.sleep(batch.wait(now, settings.poll()));
                }
                continue;
            }
            if (batch != null && !batch.continuedBy(line)) {
                carried = line;
                return batch.cutShort();
            }
            if (batch == null) {
                batch = new Builder(line, now.plus(settings.linger()), replayEnd(line));
            }
            batch.add(line);
            if (batch.full() || batch.expired(now)) {
                return batch.build();
            }
        }
    }

    /** Where the batch starting with this line must end: the pending batch's end if it starts where that did. */
    private long replayEnd(LogLine first) {
        Checkpoint pending = replay;
        replay = null;
        return pending != null && pending.file().equals(first.file()) && pending.offset() == first.start()
                ? pending.pendingEnd() : -1;
    }

    private final class Builder {

        private final LogLine first;
        private final Instant deadline;
        private final long replayEnd;
        private final List<FirewallLogRecord> records = new ArrayList<>();
        private long end;
        private int count;
        private FileSeen seen;

        Builder(LogLine first, Instant deadline, long replayEnd) {
            this.first = first;
            this.deadline = deadline;
            this.replayEnd = replayEnd;
            this.end = first.start();
        }

        boolean continuedBy(LogLine line) {
            return line.file().equals(first.file()) && line.start() == end && (replayEnd < 0 || end < replayEnd);
        }

        void add(LogLine line) {
            metrics.lineRead();
            end = line.end();
            seen = line.seen();
            count++;
            if (line.tooLong()) {
                metrics.skipped(SkipReason.TOO_LONG);
                return;
            }
            ParsedLine parsed = parser.parse(line.text());
            if (parsed.isRecord()) {
                records.add(parsed.record());
            } else {
                metrics.skipped(parsed.skipped());
            }
        }

        /**
         * A batch ends when its linger is up, except the pending batch read again: it ends
         * exactly where it ended before, however long reading it takes, so its message id holds.
         */
        boolean expired(Instant now) {
            return replayEnd < 0 && !now.isBefore(deadline);
        }

        Duration wait(Instant now, Duration poll) {
            Duration left = Duration.between(now, deadline);
            return replayEnd >= 0 || left.compareTo(poll) >= 0 ? poll : left;
        }

        /** The batch ends before its range does: only the pending batch can, when its file changed under it. */
        Batch cutShort() {
            if (replayEnd >= 0 && end < replayEnd) {
                log.warn("The pending batch {}@{}-{} could not be read again in full (its file changed); "
                        + "publishing [{}, {}) under a new id", first.file().id(), first.start(), replayEnd,
                        first.start(), end);
            }
            return build();
        }

        boolean full() {
            if (replayEnd >= 0) {
                return end >= replayEnd;
            }
            return records.size() >= settings.size() || count >= settings.maxLines();
        }

        Batch build() {
            return new Batch(first.file(), first.start(), end, records, count, seen);
        }
    }
}
