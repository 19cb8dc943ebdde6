package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the file the tailer reads next, and remembers what it needs for that: the
 * checkpoint to resume from (until it is resolved), the files already read (by fingerprint),
 * and when the last finished file was last written.
 */
final class NextFile {

    /** A file to open, the identity its lines carry, and where to start. */
    record Choice(FileSnapshot file, String logicalKey, String fingerprint, long offset) {
    }

    private static final Logger log = LoggerFactory.getLogger(NextFile.class);
    private static final int REMEMBERED = 64;
    private static final int MAX_LISTINGS = 8;

    private final LogFiles files;
    private final Path logFile;
    private final Deque<String> finished = new ArrayDeque<>();
    private FileIdentity resumeFile;
    private final long resumeOffset;
    private Instant finishedModified;

    NextFile(LogFiles files, Path logFile, FileIdentity resumeFile, long resumeOffset) {
        this.files = files;
        this.logFile = logFile;
        this.resumeFile = resumeFile;
        this.resumeOffset = resumeOffset;
    }

    /** The file to read next, or empty when there is none yet. */
    Optional<Choice> choose() throws IOException {
        Optional<FileSnapshot> atPath = files.look(logFile);
        if (resumeFile != null) {
            return resume(atPath);
        }
        if (finishedModified == null) {
            return atPath.map(file -> new Choice(file, file.key(), null, 0));
        }
        Optional<FileSnapshot> next = Successor.after(finishedModified, finished, rotated(), atPath.orElse(null));
        next.filter(file -> !file.path().equals(logFile))
                .ifPresent(file -> log.info("Reading rotated file {} before {}", file.path(), logFile));
        return next.map(file -> new Choice(file, file.key(), null, 0));
    }

    private Optional<Choice> resume(Optional<FileSnapshot> atPath) throws IOException {
        List<FileSnapshot> candidates = new ArrayList<>(rotated());
        atPath.ifPresent(file -> candidates.add(0, file));
        Optional<FileSnapshot> checkpointed = Successor.checkpointed(resumeFile, resumeOffset, candidates);
        if (checkpointed.isPresent()) {
            log.info("Resuming {} at offset {} ({})", checkpointed.get().path(), resumeOffset, resumeFile.id());
            return Optional.of(new Choice(checkpointed.get(), resumeFile.key(), resumeFile.fingerprint(), resumeOffset));
        }
        if (atPath.isEmpty()) {
            return Optional.empty();
        }
        log.warn("The checkpointed file {} (offset {}) is gone; reading {} from its beginning", resumeFile.id(),
                resumeOffset, logFile);
        return Optional.of(new Choice(atPath.get(), atPath.get().key(), null, 0));
    }

    /** The chosen file is open: a resumed checkpoint is resolved. */
    void opened() {
        resumeFile = null;
    }

    /** A file was read to its end (renamed away) or truncated; what comes next is what was written after it. */
    void finished(String key, String fingerprint, Instant lastModified) throws IOException {
        if (fingerprint != null) {
            finished.remove(fingerprint);
            finished.addLast(fingerprint);
            while (finished.size() > REMEMBERED) {
                finished.removeFirst();
            }
        }
        finishedModified = files.rotated(logFile).stream().filter(file -> file.key().equals(key))
                .map(FileSnapshot::modified).findFirst().orElse(lastModified);
    }

    /** The copy copy-truncate made of a file truncated at {@code offset} while it was read, if it holds more. */
    Optional<Choice> copyOf(FileIdentity identity, long offset) throws IOException {
        return Successor.copyOf(identity, offset, rotated())
                .map(copy -> new Choice(copy, identity.key(), identity.fingerprint(), offset));
    }

    /**
     * The rotated files, listed until two listings agree: a file being renamed while the
     * directory is read (logrotate shifting {@code .1} to {@code .2}) can be missing from one
     * listing, and skipping it would skip its lines.
     */
    private List<FileSnapshot> rotated() throws IOException {
        List<FileSnapshot> listed = files.rotated(logFile);
        for (int attempt = 0; attempt < MAX_LISTINGS; attempt++) {
            List<FileSnapshot> again = files.rotated(logFile);
            if (keys(again).equals(keys(listed))) {
                return again;
            }
            listed = again;
        }
        return listed;
    }

    private static Set<String> keys(List<FileSnapshot> files) {
        Set<String> keys = new HashSet<>();
        files.forEach(file -> keys.add(file.key()));
        return keys;
    }
}
