package org.vlab.ipam.logs.forward;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.FileSeen;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checkpoint as a small JSON file in the state directory, replaced atomically: written
 * to a temporary file, forced to disk, renamed over the old one, and the directory forced
 * too, so after a crash or a power loss the file holds either the old or the new checkpoint,
 * never a torn one. A file that cannot be read is moved aside (for a person to look at) and
 * forwarding starts over at the beginning of the log: duplicates rather than losses.
 */
final class FileCheckpointStore implements CheckpointStore {

    static final String FILE_NAME = "log-forwarder.checkpoint.json";

    private static final Logger log = LoggerFactory.getLogger(FileCheckpointStore.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    /**
     * The file's shape: flat, with the log's path for the person reading it. {@code fileModified},
     * {@code fileSize} and {@code pendingEnds} came later: a checkpoint without them still loads.
     * {@code pendingEnd} (the last pending end) is still written, so a forwarder of an older
     * version reading this file replays the whole pending range as one batch: duplicates under
     * a new id, never a loss.
     */
    record Document(String logFile, String fileKey, String fingerprint, long offset, Long pendingEnd,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Long> pendingEnds, Instant fileModified, Long fileSize) {

        List<Long> ends() {
            if (pendingEnds != null && !pendingEnds.isEmpty()) {
                return pendingEnds;
            }
            return pendingEnd == null ? List.of() : List.of(pendingEnd);
        }

        FileSeen seen() {
            return fileModified == null || fileSize == null ? null : new FileSeen(fileModified, fileSize);
        }
    }

    private final Path directory;
    private final Path file;
    private final Path temporary;
    private final Path logFile;

    FileCheckpointStore(Path directory, Path logFile) {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
        this.temporary = directory.resolve(FILE_NAME + ".tmp");
        this.logFile = logFile;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + directory + " (ipam.state-dir)", e);
        }
        if (!Files.isWritable(directory)) {
            throw new IllegalStateException("the state directory " + directory + " is not writable (ipam.state-dir)");
        }
    }

    Path file() {
        return file;
    }

    @Override
    public Optional<Checkpoint> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Document document = JSON.readValue(Files.readAllBytes(file), Document.class);
            return Optional.of(new Checkpoint(new FileIdentity(document.fileKey(), document.fingerprint()),
                    document.offset(), document.ends(), document.seen()));
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            Path aside = directory.resolve(FILE_NAME + ".unreadable-" + System.currentTimeMillis());
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.error("The checkpoint {} cannot be read ({}); moved it to {} and starting at the beginning of {}",
                    file, e.getMessage(), aside, logFile);
            return Optional.empty();
        }
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        FileSeen seen = checkpoint.seen();
        byte[] bytes = JSON.writeValueAsBytes(new Document(logFile.toString(), checkpoint.file().key(),
                checkpoint.file().fingerprint(), checkpoint.offset(), checkpoint.pendingEnd(), checkpoint.pendingEnds(),
                seen == null ? null : seen.modified(), seen == null ? null : seen.size()));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
            directoryChannel.force(true);
        }
    }
}
