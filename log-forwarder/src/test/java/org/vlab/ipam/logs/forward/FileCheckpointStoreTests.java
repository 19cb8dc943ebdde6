package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.FileSeen;

/** The checkpoint file in the state directory. */
class FileCheckpointStoreTests {

    private static final FileIdentity FILE = new FileIdentity("2049:131075", "9f86d081884c7d65");

    @TempDir
    Path directory;

    @Test
    void createsTheStateDirectoryAndStartsWithoutACheckpoint() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory.resolve("a/b"), Path.of("/var/log/kern.log"));

        assertThat(directory.resolve("a/b")).isDirectory();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void aSavedCheckpointIsLoadedBackPendingOrConfirmed() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));

        store.save(new Checkpoint(FILE, 100, 250L));
        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load())
                .contains(new Checkpoint(FILE, 100, 250L));

        store.save(Checkpoint.confirmed(FILE, 250));
        assertThat(store.load()).contains(Checkpoint.confirmed(FILE, 250));
    }

    @Test
    void everyPendingBatchOfAWindowIsLoadedBack() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Checkpoint pending = new Checkpoint(FILE, 100, List.of(250L, 400L, 410L), null);

        store.save(pending);

        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load()).contains(pending);
        assertThat(Files.readString(store.file())).contains("\"pending_end\":410", "\"pending_ends\":[250,400,410]");
    }

    @Test
    void theFileIsReadableJsonAndNoTemporaryFileIsLeft() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));

        store.save(new Checkpoint(FILE, 42, List.of(), new FileSeen(Instant.parse("2026-11-20T10:00:00Z"), 4096)));

        assertThat(Files.readString(store.file())).isEqualTo("{\"log_file\":\"/var/log/kern.log\","
                + "\"file_key\":\"2049:131075\",\"fingerprint\":\"9f86d081884c7d65\",\"offset\":42,\"pending_end\":null,"
                + "\"file_modified\":\"2026-11-20T10:00:00Z\",\"file_size\":4096}");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(store.file());
        }
    }

    @Test
    void howTheFileLookedIsSavedAndLoadedWithTheCheckpoint() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Checkpoint checkpoint = new Checkpoint(FILE, 100, 250L, new FileSeen(Instant.parse("2026-11-20T10:00:00.123456789Z"), 300));

        store.save(checkpoint);

        assertThat(store.load()).contains(checkpoint);
    }

    @Test
    void aCheckpointWrittenBeforeTheFileWasDescribedStillLoads() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Files.writeString(store.file(), "{\"log_file\":\"/var/log/kern.log\",\"file_key\":\"2049:131075\","
                + "\"fingerprint\":\"9f86d081884c7d65\",\"offset\":100,\"pending_end\":250}");

        assertThat(store.load()).contains(new Checkpoint(FILE, 100, 250L, null));
        assertThat(store.load().orElseThrow().resume().seen()).isNull();
    }

    @Test
    void anUnreadableCheckpointIsMovedAsideAndForwardingStartsOver() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Files.writeString(store.file(), "{\"file_key\":\"2049:1\",\"offset\":-5");

        assertThat(store.load()).isEmpty();

        try (var files = Files.list(directory)) {
            assertThat(files).singleElement().satisfies(aside -> {
                assertThat(aside.getFileName().toString()).startsWith(FileCheckpointStore.FILE_NAME + ".unreadable-");
                assertThat(Files.readString(aside)).isEqualTo("{\"file_key\":\"2049:1\",\"offset\":-5");
            });
        }
    }

    @Test
    void aCheckpointWithImpossibleValuesIsUnreadableToo() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Files.writeString(store.file(), "{\"file_key\":\"2049:1\",\"fingerprint\":\"ab\",\"offset\":-5}");

        assertThat(store.load()).isEmpty();
        assertThat(store.file()).doesNotExist();
    }
}
