package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.parse.ParsedLine;
import org.vlab.ipam.logs.parse.SkipReason;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.FileSeen;
import org.vlab.ipam.logs.tail.LogLine;

/**
 * Cuts the lines into batches: a batch ends when it holds {@link BatchSettings#size()}
 * records, when {@link BatchSettings#linger()} has passed since its first line, when the next
 * line belongs to another file (or does not follow on), or where a batch left pending by a
 * crash ended, so those batches are published again exactly (their linger does not apply).
 * It reads only when asked for the next batch; while the log has nothing new it calls the
 * caller's {@link Idle} before each wait, so confirms are taken in even when no line comes.
 */
final class BatchCollector {

    private static final Logger log = LoggerFactory.getLogger(BatchCollector.class);

    private final LineSource lines;
    private final FirewallLineParser parser;
    private final BatchSettings settings;
    private final Clock clock;
    private final Pause pause;
    private final ForwarderMetrics metrics;
    private final Idle idle;
    private final Deque<Long> replayEnds = new ArrayDeque<>();
    private FileIdentity replayFile;
    private long replayStart;
    private LogLine carried;
    private Builder open;

    /** What to do while the log has nothing new, before waiting for it. */
    @FunctionalInterface
    interface Idle {
        void meanwhile() throws IOException, InterruptedException;
    }

    /** @param replay the checkpoint, whose pending batches are cut again exactly as before; or null */
    BatchCollector(LineSource lines, FirewallLineParser parser, BatchSettings settings, Clock clock, Pause pause,
            ForwarderMetrics metrics, Checkpoint replay, Idle idle) {
        this.lines = lines;
        this.parser = parser;
        this.settings = settings;
        this.clock = clock;
        this.pause = pause;
        this.metrics = metrics;
        this.idle = idle;
        if (replay != null) {
            replayFile = replay.file();
            replayStart = replay.offset();
            replayEnds.addAll(replay.pendingEnds());
        }
    }

    /** The next batch; waits (polling the log) until there is one. */
    Batch next() throws IOException, InterruptedException {
        while (true) {
            Batch batch = ready();
            if (batch != null) {
                return batch;
            }
            Instant now = clock.instant();
            idle.meanwhile();
            if (open == null) {
                pause.sleep(settings.poll());
            } else if (open.expired(now)) {
                return close(open);
            } else {
                pause.sleep(open.wait(now, settings.poll()));
            }
        }
    }

    /**
     * The next batch if the lines already in the log complete one, else null (a batch begun
     * stays open for the next call); never waits, so several batches ready at once can be
     * recorded as pending with one checkpoint write.
     */
    Batch ready() throws IOException {
        while (true) {
            LogLine line = carried != null ? carried : lines.next().orElse(null);
            carried = null;
            if (line == null) {
                return null;
            }
            Instant now = clock.instant();
            if (open != null && !open.continuedBy(line)) {
                carried = line;
                open.warnIfCutShort();
                return close(open);
            }
            if (open == null) {
                open = new Builder(line, now.plus(settings.linger()), replayEnd(line));
            }
            open.add(line);
            if (open.full() || open.expired(now)) {
                return close(open);
            }
        }
    }

    private Batch close(Builder batch) {
        open = null;
        return batch.build();
    }

    /**
     * Where the batch starting with this line must end: the next pending batch's end if it
     * starts where that did; once a batch does not, no pending batch is replayed any more.
     */
    private long replayEnd(LogLine first) {
        if (replayEnds.isEmpty() || !first.file().equals(replayFile) || first.start() != replayStart) {
            replayEnds.clear();
            return -1;
        }
        long end = replayEnds.removeFirst();
        replayStart = end;
        return end;
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
        void warnIfCutShort() {
            if (replayEnd >= 0 && end < replayEnd) {
                log.warn("A pending batch {}@{}-{} could not be read again in full (its file changed); "
                        + "publishing [{}, {}) under a new id", first.file().id(), first.start(), replayEnd,
                        first.start(), end);
            }
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
