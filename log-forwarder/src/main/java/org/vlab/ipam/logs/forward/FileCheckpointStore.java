package org.vlab.ipam.logs.forward;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * The checkpoint as small JSON documents in the state directory's {@link CheckpointSlots}
 * file: after a crash or a power loss it holds the newest checkpoint whose write finished,
 * never a torn one. A file with no intact checkpoint is moved aside (for a person to look at)
 * and forwarding starts over at the beginning of the log: duplicates rather than losses. The
 * JSON file that versions before the slots replaced atomically is still read when the slots
 * hold nothing yet, and removed once a checkpoint is in them.
 */
final class FileCheckpointStore implements CheckpointStore {

    static final String FILE_NAME = "log-forwarder.checkpoint";
    static final String LEGACY_FILE_NAME = "log-forwarder.checkpoint.json";

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
    private final CheckpointSlots slots;
    private final Path legacy;
    private final Path logFile;
    private boolean legacyRemoved;

    FileCheckpointStore(Path directory, Path logFile) {
        this.directory = directory;
        this.slots = new CheckpointSlots(directory.resolve(FILE_NAME));
        this.legacy = directory.resolve(LEGACY_FILE_NAME);
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
        return slots.file();
    }

    Path legacyFile() {
        return legacy;
    }

    @Override
    public Optional<Checkpoint> load() throws IOException {
        CheckpointSlots.Contents contents = slots.read();
        if (contents.newest() != null) {
            if (contents.torn()) {
                log.warn("One slot of the checkpoint {} was torn (a crash while writing it); resuming from the "
                        + "checkpoint written before it", slots.file());
            }
            return parse(contents.newest(), slots.file());
        }
        if (contents.torn()) {
            // a crash during the very first slot write: an older version's checkpoint may still be there
            unreadable(slots.file(), "no slot holds an intact checkpoint");
        }
        if (Files.exists(legacy)) {
            return parse(Files.readAllBytes(legacy), legacy);
        }
        return Optional.empty();
    }

    private Optional<Checkpoint> parse(byte[] json, Path from) throws IOException {
        try {
            Document document = JSON.readValue(json, Document.class);
            return Optional.of(new Checkpoint(new FileIdentity(document.fileKey(), document.fingerprint()),
                    document.offset(), document.ends(), document.seen()));
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            return unreadable(from, e.getMessage());
        }
    }

    private Optional<Checkpoint> unreadable(Path file, String why) throws IOException {
        Path aside = directory.resolve(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        log.error("The checkpoint {} cannot be read ({}); moved it to {} and starting at the beginning of {}", file,
                why, aside, logFile);
        if (file.equals(slots.file())) {
            slots.read();
        }
        return Optional.empty();
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        FileSeen seen = checkpoint.seen();
        slots.write(JSON.writeValueAsBytes(new Document(logFile.toString(), checkpoint.file().key(),
                checkpoint.file().fingerprint(), checkpoint.offset(), checkpoint.pendingEnd(), checkpoint.pendingEnds(),
                seen == null ? null : seen.modified(), seen == null ? null : seen.size())));
        if (!legacyRemoved) {
            // the older format's file would be read again if the slots were ever lost: it goes once they hold one
            Files.deleteIfExists(legacy);
            legacyRemoved = true;
        }
    }
}
