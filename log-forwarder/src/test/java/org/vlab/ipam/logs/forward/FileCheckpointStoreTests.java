package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.FileSeen;

/** The checkpoint file in the state directory: its two slots, torn writes, and the file of earlier versions. */
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
        assertThat(text(store.file())).contains("\"pending_end\":410", "\"pending_ends\":[250,400,410]");
    }

    @Test
    void theLargestWindowWithAWindowsWorthRecordedBehindItFitsASlotAtTerabyteOffsets() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        long offset = 9_999_000_000_000L;
        List<Long> ends = LongStream.rangeClosed(1, 2 * 256).map(n -> offset + n * 1_000).boxed().toList();
        Checkpoint pending = new Checkpoint(FILE, offset, ends,
                new FileSeen(Instant.parse("2026-12-07T12:00:00.123456789Z"), Long.MAX_VALUE));

        store.save(pending);

        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load()).contains(pending);
    }

    @Test
    void theFileHoldsTheCheckpointAsReadableJsonAndIsTheOnlyFile() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));

        store.save(new Checkpoint(FILE, 42, List.of(), new FileSeen(Instant.parse("2026-11-20T10:00:00Z"), 4096)));

        assertThat(text(store.file())).contains("{\"log_file\":\"/var/log/kern.log\","
                + "\"file_key\":\"2049:131075\",\"fingerprint\":\"9f86d081884c7d65\",\"offset\":42,\"pending_end\":null,"
                + "\"file_modified\":\"2026-11-20T10:00:00Z\",\"file_size\":4096}");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(store.file());
        }
    }

    @Test
    void writesNeverChangeTheFilesSizeSoTheyFlushNoMetadata() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));

        store.save(Checkpoint.confirmed(FILE, 1));
        long size = Files.size(store.file());
        for (int i = 2; i < 10; i++) {
            store.save(new Checkpoint(FILE, i, List.of(1000L + i, 2000L + i, 3000L + i), null));
        }

        assertThat(Files.size(store.file())).isEqualTo(size).isEqualTo(2L * CheckpointSlots.SLOT_SIZE);
        assertThat(store.load()).contains(new Checkpoint(FILE, 9, List.of(1009L, 2009L, 3009L), null));
    }

    @Test
    void aFileLeftShortByACrashWhileItWasCreatedIsCompletedBeforeTheFirstWrite() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Files.write(store.file(), new byte[5000]);

        assertThat(store.load()).isEmpty();
        store.save(Checkpoint.confirmed(FILE, 10));

        assertThat(Files.size(store.file())).isEqualTo(2L * CheckpointSlots.SLOT_SIZE);
        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load())
                .contains(Checkpoint.confirmed(FILE, 10));
    }

    @Test
    void aWriteTornByACrashLeavesTheCheckpointBeforeItToResumeFrom() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        store.save(new Checkpoint(FILE, 100, 250L));
        store.save(new Checkpoint(FILE, 100, List.of(250L, 400L), null));
        tearNewestSlot(store.file(), 2);

        FileCheckpointStore restarted = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        assertThat(restarted.load()).contains(new Checkpoint(FILE, 100, 250L));

        restarted.save(Checkpoint.confirmed(FILE, 250));
        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load())
                .contains(Checkpoint.confirmed(FILE, 250));
        // torn again: had that write gone over the intact slot, nothing would be left to resume from
        tearNewestSlot(store.file(), 2);
        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load())
                .as("the write went over the torn slot, not the intact one").contains(new Checkpoint(FILE, 100, 250L));
        restarted.save(Checkpoint.confirmed(FILE, 400));
        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load())
                .contains(Checkpoint.confirmed(FILE, 400));
    }

    @Test
    void aFileWithNoIntactSlotIsMovedAsideAndForwardingStartsOver() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        store.save(new Checkpoint(FILE, 100, 250L));
        store.save(Checkpoint.confirmed(FILE, 250));
        tearNewestSlot(store.file(), 1);
        tearNewestSlot(store.file(), 2);

        assertThat(store.load()).isEmpty();
        try (var files = Files.list(directory)) {
            assertThat(files).singleElement().satisfies(aside -> assertThat(aside.getFileName().toString())
                    .startsWith(FileCheckpointStore.FILE_NAME + ".unreadable-"));
        }
        store.save(Checkpoint.confirmed(FILE, 10));
        assertThat(store.load()).contains(Checkpoint.confirmed(FILE, 10));
    }

    @Test
    void aSlotClaimingMoreBytesThanItHoldsIsTornNotAFailureOfEveryStart() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        byte[] file = new byte[2 * CheckpointSlots.SLOT_SIZE];
        byte[] slot = ("vlab-checkpoint 1 1 " + Integer.MAX_VALUE + " 0\n{}").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(slot, 0, file, 0, slot.length);
        Files.write(store.file(), file);

        assertThat(store.load()).isEmpty();
        store.save(Checkpoint.confirmed(FILE, 10));
        assertThat(store.load()).contains(Checkpoint.confirmed(FILE, 10));
    }

    @Test
    void aCrashDuringTheFirstSlotWriteAfterAnUpgradeResumesFromTheEarlierVersionsFile() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Files.writeString(store.legacyFile(), "{\"log_file\":\"/var/log/kern.log\",\"file_key\":\"2049:131075\","
                + "\"fingerprint\":\"9f86d081884c7d65\",\"offset\":100,\"pending_end\":250,\"pending_ends\":[250]}");
        byte[] torn = new byte[2 * CheckpointSlots.SLOT_SIZE];
        byte[] half = "vlab-checkpoint 1 1 180 3a2b".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(half, 0, torn, CheckpointSlots.SLOT_SIZE, half.length);
        Files.write(store.file(), torn);

        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load())
                .contains(new Checkpoint(FILE, 100, 250L));
    }

    @Test
    void theCheckpointFileOfEarlierVersionsIsReadThenRemovedOnceTheSlotsHoldOne() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Files.writeString(store.legacyFile(), "{\"log_file\":\"/var/log/kern.log\",\"file_key\":\"2049:131075\","
                + "\"fingerprint\":\"9f86d081884c7d65\",\"offset\":100,\"pending_end\":250,\"pending_ends\":[250]}");

        assertThat(store.load()).contains(new Checkpoint(FILE, 100, 250L));

        store.save(Checkpoint.confirmed(FILE, 250));
        assertThat(store.legacyFile()).doesNotExist();
        assertThat(new FileCheckpointStore(directory, Path.of("/var/log/kern.log")).load())
                .contains(Checkpoint.confirmed(FILE, 250));
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
        Files.writeString(store.legacyFile(), "{\"log_file\":\"/var/log/kern.log\",\"file_key\":\"2049:131075\","
                + "\"fingerprint\":\"9f86d081884c7d65\",\"offset\":100,\"pending_end\":250}");

        assertThat(store.load()).contains(new Checkpoint(FILE, 100, 250L, null));
        assertThat(store.load().orElseThrow().resume().seen()).isNull();
    }

    @Test
    void anUnreadableCheckpointIsMovedAsideAndForwardingStartsOver() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Files.writeString(store.legacyFile(), "{\"file_key\":\"2049:1\",\"offset\":-5");

        assertThat(store.load()).isEmpty();

        try (var files = Files.list(directory)) {
            assertThat(files).singleElement().satisfies(aside -> {
                assertThat(aside.getFileName().toString()).startsWith(FileCheckpointStore.LEGACY_FILE_NAME + ".unreadable-");
                assertThat(Files.readString(aside)).isEqualTo("{\"file_key\":\"2049:1\",\"offset\":-5");
            });
        }
    }

    @Test
    void aCheckpointWithImpossibleValuesIsUnreadableToo() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(directory, Path.of("/var/log/kern.log"));
        Files.writeString(store.legacyFile(), "{\"file_key\":\"2049:1\",\"fingerprint\":\"ab\",\"offset\":-5}");

        assertThat(store.load()).isEmpty();
        assertThat(store.legacyFile()).doesNotExist();
    }

    /** The file's text without the slots' zero padding. */
    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1).replace("\0", "");
    }

    /** Overwrites part of the slot holding the given sequence's write, as a write cut short by a crash leaves it. */
    private static void tearNewestSlot(Path file, long sequence) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap("{\"torn".getBytes(StandardCharsets.US_ASCII)),
                    (sequence % 2) * CheckpointSlots.SLOT_SIZE + 40);
        }
    }
}
