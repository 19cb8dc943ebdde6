package org.vlab.ipam.logs.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which file comes next, and where a checkpoint resumes. */
class SuccessorTests {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void afterTheFinishedFileComeTheRotatedFilesWrittenLaterOldestFirstThenTheLiveFile() {
        FileSnapshot older = file("kern.log.3", "1:1", "a1", T.minusSeconds(60));
        FileSnapshot finished = file("kern.log.2", "1:2", "a2", T);
        FileSnapshot second = file("kern.log.1", "1:4", "a4", T.plusSeconds(20));
        FileSnapshot first = file("kern.log.0", "1:3", "a3", T.plusSeconds(10));
        FileSnapshot live = file("kern.log", "1:5", "a5", T.plusSeconds(30));
        List<FileSnapshot> rotated = List.of(older, finished, second, first);

        assertThat(next(T, read("a2"), rotated, live)).contains(first);
        assertThat(next(first.modified(), read("a2", "a3"), rotated, live)).contains(second);
        assertThat(next(second.modified(), read("a2", "a3", "a4"), rotated, live)).contains(live);
    }

    @Test
    void aCopyOfAFinishedFileIsPassedOver() {
        FileSnapshot copy = file("kern.log.1", "1:9", "a2", T.plusSeconds(5));
        FileSnapshot live = file("kern.log", "1:2", "b2", T.plusSeconds(6));

        assertThat(next(T, read("a2"), List.of(copy), live)).contains(live);
    }

    @Test
    void aFinishedFileThatMovedOnIsReadOnFromWhereItWasLeft() {
        FileSnapshot live = file("kern.log", "1:2", "a2", T.plusSeconds(6));

        Optional<NextFile.Choice> next = Successor.after(T, Map.of("a2", new Successor.Read("1:2", 40)), List.of(), live);

        assertThat(next).hasValueSatisfying(choice -> {
            assertThat(choice.file()).isEqualTo(live);
            assertThat(choice.offset()).isEqualTo(40);
            assertThat(choice.logicalKey()).isEqualTo("1:2");
        });
        assertThat(Successor.after(T, Map.of("a2", new Successor.Read("1:2", 100)), List.of(), live))
                .as("nothing more than was read").isEmpty();
    }

    @Test
    void theLiveFileWhoseFirstLineIsIncompleteIsStillNext() {
        FileSnapshot live = file("kern.log", "1:5", null, T.plusSeconds(1));

        assertThat(next(T, read("a2"), List.of(), live)).contains(live);
        assertThat(next(T, read("a2"), List.of(), null)).isEmpty();
    }

    @Test
    void aCheckpointResumesInItsFileWhereverItWasRenamedElseInACopyOfIt() {
        FileIdentity identity = new FileIdentity("1:2", "a2");
        FileSnapshot renamed = file("kern.log.1", "1:2", "a2", T);
        FileSnapshot copy = file("kern.log.1", "1:7", "a2", T);
        FileSnapshot live = file("kern.log", "1:3", "a3", T);

        assertThat(Successor.checkpointed(identity, 10, List.of(live, copy, renamed))).contains(renamed);
        assertThat(Successor.checkpointed(identity, 10, List.of(live, copy))).contains(copy);
        assertThat(Successor.checkpointed(identity, 10, List.of(live))).isEmpty();
    }

    @Test
    void aReusedInodeDoesNotResumeTheCheckpoint() {
        FileIdentity identity = new FileIdentity("1:2", "a2");
        FileSnapshot reused = file("kern.log", "1:2", "ff", T);

        assertThat(Successor.checkpointed(identity, 10, List.of(reused))).isEmpty();
    }

    @Test
    void aCheckpointPastTheEndOfItsFileDoesNotResume() {
        FileIdentity identity = new FileIdentity("1:2", "a2");

        assertThat(Successor.checkpointed(identity, 200, List.of(file("kern.log", "1:2", "a2", T)))).isEmpty();
    }

    @Test
    void theCopyOfATruncatedFileIsTheOneThatHoldsMoreThanWasRead() {
        FileIdentity identity = new FileIdentity("1:2", "a2");
        FileSnapshot copy = file("kern.log.1", "1:7", "a2", T);

        assertThat(Successor.copyOf(identity, 50, List.of(copy))).contains(copy);
        assertThat(Successor.copyOf(identity, 100, List.of(copy))).isEmpty();
        assertThat(Successor.copyOf(identity, 50, List.of(file("kern.log.1", "1:2", "a2", T)))).isEmpty();
    }

    private static Optional<FileSnapshot> next(Instant floor, Map<String, Successor.Read> read,
            List<FileSnapshot> rotated, FileSnapshot atPath) {
        return Successor.after(floor, read, rotated, atPath).map(NextFile.Choice::file);
    }

    /** Files with these fingerprints read to offset 100, their size: nothing more in them. */
    private static Map<String, Successor.Read> read(String... fingerprints) {
        Map<String, Successor.Read> read = new HashMap<>();
        for (String fingerprint : fingerprints) {
            read.put(fingerprint, new Successor.Read("0:0", 100));
        }
        return read;
    }

    private static FileSnapshot file(String name, String key, String fingerprint, Instant modified) {
        return new FileSnapshot(Path.of("/var/log", name), key, 100, modified, fingerprint);
    }
}
