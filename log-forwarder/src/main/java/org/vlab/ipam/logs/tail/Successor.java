package org.vlab.ipam.logs.tail;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which file to read next. Files are read in the order they were written: after a file is
 * finished come the rotated files that were written to after it (several rotations may pass
 * while the broker is down and reading is paused, or while the forwarder is not running),
 * oldest first, and then the file at the log's path. A rotated file that starts like one
 * already read is a copy (copy-truncate) or the same file renamed again, and is passed over.
 */
final class Successor {

    private Successor() {
    }

    /**
     * @param finishedModified the last modification time seen of the file just finished
     * @param finished the fingerprints of the files already read
     * @param rotated the rotated files beside the log
     * @param atPath the file at the log's path, or null
     */
    static Optional<FileSnapshot> after(Instant finishedModified, Collection<String> finished,
            List<FileSnapshot> rotated, FileSnapshot atPath) {
        Optional<FileSnapshot> older = rotated.stream()
                .filter(file -> file.fingerprint() != null && !finished.contains(file.fingerprint()))
                .filter(file -> !file.modified().isBefore(finishedModified))
                .filter(file -> atPath == null || !file.key().equals(atPath.key()))
                .min(Comparator.comparing(FileSnapshot::modified));
        if (older.isPresent()) {
            return older;
        }
        if (atPath != null && (atPath.fingerprint() == null || !finished.contains(atPath.fingerprint()))) {
            return Optional.of(atPath);
        }
        return Optional.empty();
    }

    /**
     * Where a checkpoint resumes: the file with its identity (still at the path, or rotated),
     * else a copy of it (same first line, another inode, as copy-truncate leaves), as long as it
     * reaches the checkpoint's offset.
     */
    static Optional<FileSnapshot> checkpointed(FileIdentity identity, long offset, List<FileSnapshot> candidates) {
        Optional<FileSnapshot> same = candidates.stream()
                .filter(file -> file.is(identity) && file.size() >= offset).findFirst();
        return same.isPresent() ? same : candidates.stream()
                .filter(file -> file.startsLike(identity) && file.size() >= offset).findFirst();
    }

    /** The copy copy-truncate made of a file truncated while it was being read, if it holds more than was read. */
    static Optional<FileSnapshot> copyOf(FileIdentity identity, long offset, List<FileSnapshot> rotated) {
        return rotated.stream()
                .filter(file -> file.startsLike(identity) && !file.key().equals(identity.key()) && file.size() > offset)
                .max(Comparator.comparingLong(FileSnapshot::size));
    }
}
