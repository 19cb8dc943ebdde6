package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the file the tailer reads next, and remembers what it needs for that: the
 * checkpoint to resume from (until it is resolved), what was read of each file (by
 * fingerprint), and when the last finished file was last written.
 */
final class NextFile {

    /**
     * A file to open, the identity its lines carry, and where to start.
     *
     * @param modified when the file whose identity the lines carry was last written, for a
     *        copy of it (whose own time may be later); null to take the file's own
     */
    record Choice(FileSnapshot file, String logicalKey, String fingerprint, long offset, Instant modified) {

        static Choice of(FileSnapshot file) {
            return new Choice(file, file.key(), null, 0, null);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(NextFile.class);
    private static final int REMEMBERED = 256;
    private static final int MAX_LISTINGS = 8;

    private final LogFiles files;
    private final Path logFile;
    private final TailObserver observer;
    private final Map<String, Successor.Read> read = new LinkedHashMap<>();
    private Resume resume;
    private Instant finishedModified;

    NextFile(LogFiles files, Path logFile, Resume resume, TailObserver observer) {
        this.files = files;
        this.logFile = logFile;
        this.resume = resume;
        this.observer = observer;
    }

    /** The file to read next, or empty when there is none yet. */
    Optional<Choice> choose() throws IOException {
        Optional<FileSnapshot> atPath = files.look(logFile);
        if (resume != null) {
            return resume(atPath);
        }
        if (finishedModified == null) {
            return atPath.map(Choice::of);
        }
        Optional<Choice> next = Successor.after(finishedModified, read, rotated(), atPath.orElse(null));
        next.filter(choice -> !choice.file().path().equals(logFile))
                .ifPresent(choice -> log.info("Reading rotated file {} from offset {} before {}", choice.file().path(),
                        choice.offset(), logFile));
        return next;
    }

    private Optional<Choice> resume(Optional<FileSnapshot> atPath) throws IOException {
        List<FileSnapshot> candidates = new ArrayList<>(rotated());
        atPath.ifPresent(file -> candidates.add(0, file));
        FileIdentity file = resume.file();
        Optional<FileSnapshot> checkpointed = Successor.checkpointed(file, resume.offset(), candidates);
        if (checkpointed.isPresent()) {
            log.info("Resuming {} at offset {} ({})", checkpointed.get().path(), resume.offset(), file.id());
            Instant modified = resume.seen() == null ? null : resume.seen().modified();
            return Optional.of(new Choice(checkpointed.get(), file.key(), file.fingerprint(), resume.offset(),
                    checkpointed.get().key().equals(file.key()) ? null : modified));
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        long knownSize = resume.seen() == null ? -1 : resume.seen().size();
        observer.gap(file, resume.offset(), knownSize);
        if (resume.seen() == null) {
            log.warn("The checkpointed file {} (offset {}) is gone and the checkpoint does not say when it was "
                    + "written; reading {} from its beginning", file.id(), resume.offset(), logFile);
            resume = null;
            return atPath.map(Choice::of);
        }
        log.warn("The checkpointed file {} is gone: its bytes from offset {}{} are lost; going on with the files "
                + "written after it (modified at or after {})", file.id(), resume.offset(),
                knownSize > resume.offset() ? " to at least " + knownSize : "", resume.seen().modified());
        remember(file.fingerprint(), new Successor.Read(file.key(), Math.max(resume.offset(), knownSize)));
        finishedModified = resume.seen().modified();
        resume = null;
        return choose();
    }

    /** The chosen file is open: a resumed checkpoint is resolved. */
    void opened() {
        resume = null;
    }

    /**
     * A file was read to {@code end} and finished (renamed away) or truncated there; what comes
     * next is what was written after it.
     *
     * @param key the inode read
     * @param logicalKey the inode whose identity its lines carry: another one when a copy was
     *        read, whose own modification time says nothing about when the original was written
     */
    void finished(String key, String logicalKey, String fingerprint, long end, Instant lastModified)
            throws IOException {
        if (fingerprint != null) {
            remember(fingerprint, new Successor.Read(logicalKey, end));
        }
        finishedModified = !key.equals(logicalKey) ? lastModified : files.rotated(logFile).stream().filter(file -> file.key().equals(key))
                .map(FileSnapshot::modified).findFirst().orElse(lastModified);
    }

    private void remember(String fingerprint, Successor.Read done) {
        read.remove(fingerprint);
        read.put(fingerprint, done);
        while (read.size() > REMEMBERED) {
            read.remove(read.keySet().iterator().next());
        }
    }

    /** The copy copy-truncate made of a file truncated at {@code offset} while it was read, if it holds more. */
    Optional<Choice> copyOf(FileIdentity identity, long offset, Instant modified) throws IOException {
        return Successor.copyOf(identity, offset, rotated())
                .map(copy -> new Choice(copy, identity.key(), identity.fingerprint(), offset, modified));
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
