package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the log at a path line by line, following it: appends as they come; rename rotation
 * (the old file is finished, then the rotated files written after it, then the new file);
 * copy-truncate (the rest is read from the copy when there is one, then the file from its
 * start); a file that is missing (looked for again with back-off). It starts where a
 * checkpoint says if that file (or a copy of it, compressed or not) can still be found; if it
 * is gone, with the files written after it (the gap is reported to the {@link TailObserver});
 * with no checkpoint, at the beginning of the file at the path. Not thread-safe, except
 * {@link #bytesBehind()}.
 */
public final class LogTailer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogTailer.class);
    private static final Duration MAX_LOOK_INTERVAL = Duration.ofSeconds(10);
    /** Transitions (truncation, rotation) one call may make before it returns. */
    private static final int MAX_STEPS = 8;

    private final LogFiles files;
    private final Path logFile;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration rotationGrace;
    private final NextFile nextFile;
    private volatile Reading current;
    private Instant nextLook = Instant.MIN;
    private Duration lookInterval;

    /**
     * @param resumeFile the checkpoint's file, or null to start at the beginning of the file at the path
     * @param resumeOffset the checkpoint's offset in it
     */
    public LogTailer(LogFiles files, Path logFile, Clock clock, Duration pollInterval, Duration rotationGrace,
            FileIdentity resumeFile, long resumeOffset) {
        this(files, logFile, clock, pollInterval, rotationGrace,
                resumeFile == null ? null : new Resume(resumeFile, resumeOffset, null), TailObserver.NONE);
    }

    /**
     * @param resume where a checkpoint says to start, or null to start at the beginning of the file at the path
     * @param clock measures waits only (the rotation grace, the back-off looking for the log)
     */
    public LogTailer(LogFiles files, Path logFile, Clock clock, Duration pollInterval, Duration rotationGrace,
            Resume resume, TailObserver observer) {
        this.files = files;
        this.logFile = logFile;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.rotationGrace = rotationGrace;
        this.nextFile = new NextFile(files, logFile, resume, observer);
        this.lookInterval = pollInterval;
    }

    /** The next complete line, or empty when there is none now. */
    public Optional<LogLine> next() throws IOException {
        for (int step = 0; step < MAX_STEPS; step++) {
            if (current == null && !openNext()) {
                return Optional.empty();
            }
            Reading reading = current;
            if (reading.identity() == null) {
                // no line with content is complete yet: the blank lines before it wait with it
                Follow follow = follow(reading);
                if (follow == Follow.STAY) {
                    return Optional.empty();
                }
                if (follow == Follow.TRUNCATED) {
                    truncated(reading);
                } else {
                    finish(reading);
                }
                continue;
            }
            LineReader.RawLine raw = reading.reader.next(reading);
            if (raw != null) {
                return line(reading, raw);
            }
            if (reading.reader.changed()) {
                truncated(reading);
                continue;
            }
            Follow follow = follow(reading);
            if (follow == Follow.STAY) {
                return Optional.empty();
            }
            if (follow == Follow.TRUNCATED) {
                truncated(reading);
                continue;
            }
            LineReader.RawLine more = reading.reader.next(reading);
            if (more != null) {
                return line(reading, more);
            }
            if (!reading.reader.changed()) {
                // finished: an unterminated last line is all that can be left, and it will not be completed
                LineReader.RawLine rest = reading.reader.rest();
                FileIdentity identity = rest == null ? null : reading.identity();
                finish(reading);
                if (identity != null) {
                    return Optional.of(new LogLine(identity, rest.start(), rest.end(), rest.text(), reading.seen()));
                }
            }
        }
        return Optional.empty();
    }

    /** At the end of the file being read: a look at the path decides whether to wait, start over or move on. */
    private Follow follow(Reading reading) throws IOException {
        Optional<FileSnapshot> atPath = files.look(logFile);
        long size = reading.file.size();
        Instant now = clock.instant();
        if (size != reading.lastSize) {
            reading.lastSize = size;
            reading.lastGrowth = now;
        }
        reading.atPath = atPath.isPresent() && atPath.get().key().equals(reading.key);
        if (reading.atPath) {
            reading.lastModified = atPath.get().modified();
        }
        return Follow.decide(reading.key, reading.fingerprint, reading.reader.consumed(), size, atPath.orElse(null),
                Duration.between(reading.lastGrowth, now), rotationGrace);
    }

    private Optional<LogLine> line(Reading reading, LineReader.RawLine raw) throws IOException {
        FileIdentity identity = reading.identity();
        if (identity == null) {
            truncated(reading);
            return Optional.empty();
        }
        reading.lastGrowth = clock.instant();
        reading.consumed = raw.end();
        return Optional.of(new LogLine(identity, raw.start(), raw.end(), raw.text(), reading.seen()));
    }

    /** Opens the file to read next; false when there is none yet (then it looks again after a back-off). */
    private boolean openNext() throws IOException {
        Instant now = clock.instant();
        if (now.isBefore(nextLook)) {
            return false;
        }
        Optional<NextFile.Choice> choice = nextFile.choose();
        return choice.isPresent() ? open(choice.get()) : lookLater(now);
    }

    private boolean open(NextFile.Choice choice) throws IOException {
        OpenLogFile opened = files.open(choice.file());
        if (opened == null) {
            return lookLater(clock.instant());
        }
        nextFile.opened();
        Reading reading = new Reading(opened, choice, clock.instant());
        reading.atPath = choice.file().path().equals(logFile);
        current = reading;
        lookInterval = pollInterval;
        nextLook = Instant.MIN;
        return true;
    }

    private boolean lookLater(Instant now) {
        nextLook = now.plus(lookInterval);
        Duration doubled = lookInterval.multipliedBy(2);
        lookInterval = doubled.compareTo(MAX_LOOK_INTERVAL) > 0 ? MAX_LOOK_INTERVAL : doubled;
        return false;
    }

    /** The file at the path was truncated under the reader: read the rest from its copy if there is one, else start over. */
    private void truncated(Reading reading) throws IOException {
        long offset = reading.reader.consumed();
        reading.close();
        current = null;
        nextFile.finished(reading.key, reading.logicalKey, reading.fingerprint, offset, reading.lastModified);
        if (reading.fingerprint == null) {
            log.warn("{} was truncated before its first line was complete; reading it from its beginning", logFile);
            return;
        }
        Optional<NextFile.Choice> copy = nextFile.copyOf(new FileIdentity(reading.logicalKey, reading.fingerprint),
                offset, reading.lastModified);
        if (copy.isPresent() && open(copy.get())) {
            log.warn("{} was truncated at offset {}; reading the rest from its copy {}", logFile, offset,
                    copy.get().file().path());
        } else {
            log.warn("{} was truncated at offset {} and no copy holds more; reading it from its beginning",
                    logFile, offset);
        }
    }

    private void finish(Reading reading) throws IOException {
        reading.close();
        current = null;
        nextFile.finished(reading.key, reading.logicalKey, reading.fingerprint, reading.reader.consumed(),
                reading.lastModified);
    }

    /** The bytes not yet read: the rest of the file being read, and the file at the path when that is another one. */
    public long bytesBehind() {
        Reading reading = current;
        long behind = 0;
        try {
            if (reading != null) {
                behind += Math.max(0, reading.file.size() - reading.consumed);
            }
            if ((reading == null || !reading.atPath) && Files.isRegularFile(logFile)) {
                behind += Files.size(logFile);
            }
        } catch (IOException e) {
            // closed or rotated while measured: the next measurement will tell
        }
        return behind;
    }

    @Override
    public void close() {
        Reading reading = current;
        current = null;
        if (reading != null) {
            reading.close();
        }
    }
}
