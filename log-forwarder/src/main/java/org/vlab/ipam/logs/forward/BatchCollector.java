package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.parse.ParsedLine;
import org.vlab.ipam.logs.parse.SkipReason;
import org.vlab.ipam.logs.tail.LogLine;

/**
 * Cuts the lines into batches: a batch ends when it holds {@link BatchSettings#size()}
 * records, when {@link BatchSettings#linger()} has passed since its first line, when the next
 * line belongs to another file (or does not follow on), or where the batch left pending by a
 * crash ended, so that batch is published again exactly. It reads only when asked for the
 * next batch, so while a batch waits for its confirm nothing more is read.
 */
final class BatchCollector {

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
                } else if (!now.isBefore(batch.deadline)) {
                    return batch.build();
                } else {
                    Duration left = Duration.between(now, batch.deadline);
                    pause.sleep(left.compareTo(settings.poll()) < 0 ? left : settings.poll());
                }
                continue;
            }
            if (batch != null && !batch.continuedBy(line)) {
                carried = line;
                return batch.build();
            }
            if (batch == null) {
                batch = new Builder(line, now.plus(settings.linger()), replayEnd(line));
            }
            batch.add(line);
            if (batch.full() || !now.isBefore(batch.deadline)) {
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

        boolean full() {
            if (replayEnd >= 0) {
                return end >= replayEnd;
            }
            return records.size() >= settings.size() || count >= settings.maxLines();
        }

        Batch build() {
            return new Batch(first.file(), first.start(), end, records, count);
        }
    }
}
