package org.vlab.ipam.logs.tail;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which file to read next. Files are read in the order they were written: after a file is
 * finished come the rotated files that were written to after it (several rotations may pass
 * while the broker is down and reading is paused, or while the forwarder is not running),
 * oldest first, and then the file at the log's path. A file that starts like one already
 * read is a copy (copy-truncate, compression) or the same file renamed again, and is passed
 * over, unless it holds more than was read of it: then its rest is read.
 */
final class Successor {

    private Successor() {
    }

    /** A file read to where it ended (or was truncated): its inode and the offset reading stopped at. */
    record Read(String key, long end) {
    }

    /**
     * @param floor files last modified before this are older than what was read (the last
     *        modification time seen of the file just finished)
     * @param read what was read of each file, by fingerprint
     * @param rotated the rotated files beside the log
     * @param atPath the file at the log's path, or null
     */
    static Optional<NextFile.Choice> after(Instant floor, Map<String, Read> read, List<FileSnapshot> rotated,
            FileSnapshot atPath) {
        Optional<NextFile.Choice> older = rotated.stream()
                .filter(file -> file.fingerprint() != null && !file.modified().isBefore(floor))
                .filter(file -> atPath == null || !file.key().equals(atPath.key()))
                .map(file -> unread(file, read)).flatMap(Optional::stream)
                .min(Comparator.comparing(choice -> choice.file().modified()));
        if (older.isPresent() || atPath == null) {
            return older;
        }
        return atPath.fingerprint() == null ? Optional.of(NextFile.Choice.of(atPath)) : unread(atPath, read);
    }

    /**
     * The file from where nothing of it was read yet: from its start when its fingerprint is
     * new, from where reading stopped when it holds more than that (it moved on: a late write
     * after it was finished, or a copy holding more), else nothing (a copy of what was read).
     */
    private static Optional<NextFile.Choice> unread(FileSnapshot file, Map<String, Read> read) {
        Read done = read.get(file.fingerprint());
        if (done == null) {
            return Optional.of(NextFile.Choice.of(file));
        }
        return file.size() > done.end()
                ? Optional.of(new NextFile.Choice(file, done.key(), file.fingerprint(), done.end(), null))
                : Optional.empty();
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
