package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * {@link LogFiles} on the local file system. The inode comes from the {@code unix} attribute
 * view (the basic view's file key where there is none; {@link FileStat}). A look opens the
 * file to fingerprint it and checks that the path still names the same inode afterwards, so a
 * rotation between the two steps is not mistaken for a change of content. Rotated files
 * compressed with gzip are read as their uncompressed content ({@link GzipLogFile}), measured
 * once per version. A rotated file that cannot be read is skipped with one warning (again only
 * after it was readable in between) and reported to the {@link TailObserver}; the log itself
 * that cannot be read fails with an explanation ({@link AccessProblem}).
 */
public final class LocalLogFiles implements LogFiles {

    private static final Set<String> COMPRESSED = Set.of("bz2", "xz", "zst", "lz4", "lzma", "Z", "zip");
    private static final String GZIP = ".gz";
    private static final int ATTEMPTS = 3;
    private static final int MEASURES_KEPT = 64;

    private static final Logger log = LoggerFactory.getLogger(LocalLogFiles.class);

    private final TailObserver observer;
    private final Set<Path> unreadable = new HashSet<>();
    private final Map<String, GzipLogFile.Measure> measures = new LinkedHashMap<>();

    public LocalLogFiles() {
        this(TailObserver.NONE);
    }

    public LocalLogFiles(TailObserver observer) {
        this.observer = observer;
    }

    @Override
    public Optional<FileSnapshot> look(Path path) throws IOException {
        try {
            return lookAt(path);
        } catch (AccessDeniedException e) {
            throw AccessProblem.explain(path, e);
        }
    }

    private Optional<FileSnapshot> lookAt(Path path) throws IOException {
        boolean compressed = compressed(path);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            FileStat before = FileStat.of(path);
            if (before == null) {
                return Optional.empty();
            }
            long size;
            String fingerprint;
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                if (compressed) {
                    GzipLogFile.Measure measure = measure(before, channel);
                    size = measure.size();
                    fingerprint = measure.fingerprint();
                } else {
                    size = -1;
                    fingerprint = PlainLogFile.fingerprint(channel);
                }
            } catch (NoSuchFileException e) {
                continue;
            }
            FileStat after = FileStat.of(path);
            if (after != null && after.key().equals(before.key())) {
                return Optional.of(new FileSnapshot(path, after.key(), compressed ? size : after.size(),
                        after.modified().toInstant(), fingerprint));
            }
        }
        return Optional.empty();
    }

    /** A compressed file's uncompressed size and fingerprint, kept per version (inode, size, time) of it. */
    private GzipLogFile.Measure measure(FileStat stat, FileChannel channel) throws IOException {
        String version = stat.key() + ":" + stat.size() + ":" + stat.modified().toMillis();
        GzipLogFile.Measure known = measures.get(version);
        if (known != null) {
            return known;
        }
        GzipLogFile.Measure measure = GzipLogFile.measure(channel);
        measures.put(version, measure);
        while (measures.size() > MEASURES_KEPT) {
            measures.remove(measures.keySet().iterator().next());
        }
        return measure;
    }

    private static boolean compressed(Path path) {
        return path.getFileName().toString().endsWith(GZIP);
    }

    @Override
    public List<FileSnapshot> rotated(Path logFile) throws IOException {
        Path absolute = logFile.toAbsolutePath();
        Path directory = absolute.getParent();
        String name = absolute.getFileName().toString();
        List<FileSnapshot> found = new ArrayList<>();
        Set<Path> listed = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> isRotation(name, entry.getFileName().toString()))) {
            for (Path entry : entries) {
                listed.add(entry);
                try {
                    lookAt(entry).ifPresent(found::add);
                    if (unreadable.remove(entry)) {
                        log.info("The rotated file {} can be read again", entry);
                    }
                } catch (ClosedByInterruptException e) {
                    // the reading was stopped (a session ending), not the file found unreadable
                    throw e;
                } catch (IOException e) {
                    skipUnreadable(entry, e);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        unreadable.retainAll(listed);
        return found;
    }

    private void skipUnreadable(Path entry, IOException e) {
        if (unreadable.add(entry)) {
            String why = e instanceof AccessDeniedException ? AccessProblem.describe(entry) : e.toString();
            log.warn("Skipping the rotated file {}, which cannot be read: {}", entry, why);
            observer.unreadable(entry, e);
        }
    }

    static boolean isRotation(String logName, String candidate) {
        if (candidate.length() <= logName.length() + 1 || !candidate.startsWith(logName)) {
            return false;
        }
        char separator = candidate.charAt(logName.length());
        int dot = candidate.lastIndexOf('.');
        return (separator == '.' || separator == '-')
                && !(dot > logName.length() && COMPRESSED.contains(candidate.substring(dot + 1)));
    }

    @Override
    public OpenLogFile open(FileSnapshot snapshot) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(snapshot.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
        FileStat now = FileStat.of(snapshot.path());
        if (now == null || !now.key().equals(snapshot.key())) {
            channel.close();
            return null;
        }
        if (compressed(snapshot.path())) {
            try {
                return new GzipLogFile(channel, measure(now, channel));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }
        return new PlainLogFile(channel);
    }
}
