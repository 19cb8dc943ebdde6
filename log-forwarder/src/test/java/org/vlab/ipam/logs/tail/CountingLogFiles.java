package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Real files, counting the looks at the log's path. */
final class CountingLogFiles implements LogFiles {

    private final LogFiles files;
    private final AtomicInteger looks;

    CountingLogFiles(LogFiles files, AtomicInteger looks) {
        this.files = files;
        this.looks = looks;
    }

    @Override
    public Optional<FileSnapshot> look(Path path) throws IOException {
        looks.incrementAndGet();
        return files.look(path);
    }

    @Override
    public List<FileSnapshot> rotated(Path logFile) throws IOException {
        return files.rotated(logFile);
    }

    @Override
    public OpenLogFile open(FileSnapshot snapshot) throws IOException {
        return files.open(snapshot);
    }
}
