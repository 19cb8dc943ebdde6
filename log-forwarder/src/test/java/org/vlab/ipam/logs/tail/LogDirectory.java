package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A test's log directory: the log the tailer follows, what writers and rotation do there, and what a tailer reads. */
final class LogDirectory {

    private final Path directory;

    LogDirectory(Path directory) {
        this.directory = directory;
    }

    /** The log the tailer follows. */
    Path log() {
        return directory.resolve("firewall.log");
    }

    /** Appends to a file, creating it, as a logger does. */
    void append(String name, String text) throws IOException {
        Files.writeString(directory.resolve(name), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Renames a file at once, as a rotation by rename does. */
    void rename(String from, String to) throws IOException {
        Files.move(directory.resolve(from), directory.resolve(to), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every line the tailer has for now. */
    static List<LogLine> drain(LogTailer tailer) throws IOException {
        List<LogLine> lines = new ArrayList<>();
        for (Optional<LogLine> line = tailer.next(); line.isPresent(); line = tailer.next()) {
            lines.add(line.get());
        }
        return lines;
    }

    /** The text of every line the tailer has for now. */
    static List<String> texts(LogTailer tailer) throws IOException {
        return drain(tailer).stream().map(LogLine::text).toList();
    }
}
