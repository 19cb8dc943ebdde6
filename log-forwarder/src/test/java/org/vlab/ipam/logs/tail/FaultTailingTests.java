package org.vlab.ipam.logs.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vlab.ipam.logs.tail.LogDirectory.drain;
import static org.vlab.ipam.logs.tail.LogDirectory.texts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.logs.MutableClock;

/**
 * The tailer against the faults of a real log directory: the checkpointed file gone,
 * compressed rotations, a log cleared in place twice, siblings that cannot be read.
 */
class FaultTailingTests {

    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path directory;
    private LogDirectory files;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final List<String> observed = new ArrayList<>();
    private final TailObserver observer = new TailObserver() {
        @Override
        public void unreadable(Path file, Exception cause) {
            observed.add("unreadable " + file.getFileName());
        }

        @Override
        public void gap(FileIdentity file, long offset, long knownSize) {
            observed.add("gap " + offset + "-" + knownSize);
        }
    };

    @BeforeEach
    void inTheTemporaryDirectory() {
        files = new LogDirectory(directory);
    }

    @Test
    void aGoneCheckpointedFileResumesWithTheFilesWrittenAfterItAndCountsTheGap() throws IOException {
        files.append("firewall.log", "old\n");
        files.rename("firewall.log", "firewall.log.3");
        touch("firewall.log.3", 0);
        files.append("firewall.log", "a1\na2\na3\n");
        touch("firewall.log", 10);
        LogLine a1 = firstLine();
        FileSeen seen = new FileSeen(Files.getLastModifiedTime(files.log()).toInstant(), Files.size(files.log()));
        files.rename("firewall.log", "firewall.log.2");
        files.append("firewall.log", "b1\n");
        touch("firewall.log", 20);
        files.rename("firewall.log", "firewall.log.1");
        files.append("firewall.log", "c1\n");
        touch("firewall.log", 30);
        Files.delete(directory.resolve("firewall.log.2"));

        try (LogTailer tailer = tailer(new Resume(a1.file(), a1.end(), seen))) {
            assertThat(texts(tailer)).as("the older file stays behind; the lost file's rest is a counted gap")
                    .containsExactly("b1", "c1");
        }
        assertThat(observed).containsExactly("gap 3-9");
    }

    @Test
    void aCheckpointWithoutTheFilesTimeWhoseFileIsGoneReadsTheLogFromItsBeginning() throws IOException {
        files.append("firewall.log", "a\nb\n");

        try (LogTailer tailer = tailer(new Resume(new FileIdentity("0:1", "0123456789abcdef"), 2, null))) {
            assertThat(texts(tailer)).containsExactly("a", "b");
        }
        assertThat(observed).containsExactly("gap 2--1");
    }

    @Test
    void aCheckpointInAFileCompressedSinceResumesInTheCompressedFileAtTheSameOffsetAndIdentity() throws IOException {
        files.append("firewall.log", "a1\na2\na3\n");
        touch("firewall.log", 10);
        LogLine a1 = firstLine();
        FileSeen seen = new FileSeen(Files.getLastModifiedTime(files.log()).toInstant(), Files.size(files.log()));
        // compress without delaycompress, twice, while the forwarder was not running
        rotateCompressed("firewall.log.1.gz", 10);
        files.append("firewall.log", "b1\n");
        touch("firewall.log", 20);
        files.rename("firewall.log.1.gz", "firewall.log.2.gz");
        rotateCompressed("firewall.log.1.gz", 20);
        files.append("firewall.log", "c1\n");
        touch("firewall.log", 30);

        try (LogTailer tailer = tailer(new Resume(a1.file(), a1.end(), seen))) {
            List<LogLine> lines = drain(tailer);
            assertThat(lines).extracting(LogLine::text).containsExactly("a2", "a3", "b1", "c1");
            assertThat(lines.get(0).file()).as("the identity of the original").isEqualTo(a1.file());
            assertThat(lines.get(0).start()).as("offsets in the uncompressed stream").isEqualTo(a1.end());
        }
        assertThat(observed).isEmpty();
    }

    @Test
    void rotationsWithDelayCompressAreReadInTheOrderWritten() throws IOException {
        files.append("firewall.log", "a1\n");
        touch("firewall.log", 10);
        LogLine a1 = firstLine();
        FileSeen seen = new FileSeen(Files.getLastModifiedTime(files.log()).toInstant(), Files.size(files.log()));
        files.append("firewall.log", "a2\n");
        touch("firewall.log", 11);
        files.rename("firewall.log", "firewall.log.1");
        files.append("firewall.log", "b1\n");
        touch("firewall.log", 20);
        // the next rotation compresses .1 into .2.gz (keeping its time, as logrotate does)
        compress("firewall.log.1", "firewall.log.2.gz");
        files.rename("firewall.log", "firewall.log.1");
        files.append("firewall.log", "c1\n");
        touch("firewall.log", 30);

        try (LogTailer tailer = tailer(new Resume(a1.file(), a1.end(), seen))) {
            assertThat(texts(tailer)).containsExactly("a2", "b1", "c1");
        }
    }

    @Test
    void aLogClearedInPlaceTwiceIsThreeFilesEachReadInFull() throws IOException {
        files.append("firewall.log", "one 1\none 2\n");
        try (LogTailer tailer = tailer(null)) {
            List<LogLine> first = drain(tailer);
            clearWithEcho();
            files.append("firewall.log", "two 1\ntwo 2\ntwo 3\n");
            List<LogLine> second = drain(tailer);
            clearWithEcho();
            // the log grows past where reading stood before the tailer looks again
            files.append("firewall.log", "three 1\nthree 2\nthree 3\nthree 4\n");
            List<LogLine> third = drain(tailer);

            assertThat(first).extracting(LogLine::text).containsExactly("one 1", "one 2");
            assertThat(second).extracting(LogLine::text).containsExactly("", "two 1", "two 2", "two 3");
            assertThat(third).extracting(LogLine::text).containsExactly("", "three 1", "three 2", "three 3", "three 4");
            assertThat(List.of(first.get(0).fileId(), second.get(0).fileId(), third.get(0).fileId()))
                    .as("three identities, so message ids never collide").doesNotHaveDuplicates();
        }
    }

    @Test
    void anUnreadableRotatedFileIsSkippedWithAWarningOnceAndForwardingGoesOn() throws IOException {
        Files.createSymbolicLink(directory.resolve("firewall.log.7"), directory.resolve("firewall.log.7"));
        files.append("firewall.log", "a\n");
        try (LogTailer tailer = tailer(null)) {
            assertThat(texts(tailer)).containsExactly("a");
            files.append("firewall.log", "b\n");
            files.rename("firewall.log", "firewall.log.1");
            files.append("firewall.log", "c\n");
            assertThat(texts(tailer)).containsExactly("b", "c");
            files.rename("firewall.log", "firewall.log.2");
            files.append("firewall.log", "d\n");
            assertThat(texts(tailer)).containsExactly("d");
        }
        assertThat(observed).containsExactly("unreadable firewall.log.7");
    }

    @Test
    void aLookAtTheRotatedFilesStoppedByAnInterruptIsNoUnreadableFile() throws IOException {
        files.append("firewall.log.1", "old\n");
        files.append("firewall.log", "new\n");
        LocalLogFiles local = new LocalLogFiles(observer);

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> local.rotated(files.log())).isInstanceOf(ClosedByInterruptException.class);
        } finally {
            Thread.interrupted();
        }

        assertThat(observed).as("no warning, no count: the session was ending").isEmpty();
        assertThat(local.rotated(files.log())).singleElement()
                .satisfies(rotated -> assertThat(rotated.path().getFileName().toString()).isEqualTo("firewall.log.1"));
    }

    @Test
    void whileLogrotateCompressesTheIncompleteArchiveIsSkippedAndThePlainFileRead() throws IOException {
        files.append("firewall.log", "a1\n");
        touch("firewall.log", 10);
        LogLine a1 = firstLine();
        FileSeen seen = new FileSeen(Files.getLastModifiedTime(files.log()).toInstant(), Files.size(files.log()));
        files.append("firewall.log", "a2\n");
        touch("firewall.log", 11);
        files.rename("firewall.log", "firewall.log.1");
        files.append("firewall.log", "b1\n");
        touch("firewall.log", 20);
        // logrotate writes firewall.log.1.gz and removes firewall.log.1 only once it is complete
        byte[] whole = gzip(Files.readAllBytes(directory.resolve("firewall.log.1")));
        Files.write(directory.resolve("firewall.log.1.gz"), Arrays.copyOf(whole, whole.length - 6));

        try (LogTailer tailer = tailer(new Resume(a1.file(), a1.end(), seen))) {
            assertThat(texts(tailer)).containsExactly("a2", "b1");
            Files.write(directory.resolve("firewall.log.1.gz"), whole);
            touch("firewall.log.1.gz", 11);
            Files.delete(directory.resolve("firewall.log.1"));
            files.append("firewall.log", "b2\n");
            assertThat(texts(tailer)).as("the finished archive repeats nothing").containsExactly("b2");
        }
        assertThat(observed).containsExactly("unreadable firewall.log.1.gz");
    }

    private LogTailer tailer(Resume resume) {
        return new LogTailer(new LocalLogFiles(observer), files.log(), clock, POLL, GRACE, resume, observer);
    }

    private LogLine firstLine() throws IOException {
        try (LogTailer tailer = new LogTailer(new LocalLogFiles(), files.log(), clock, POLL, GRACE, null, 0)) {
            return tailer.next().orElseThrow();
        }
    }

    /** Sets a file's modification time to seconds after a fixed start: files written in order differ clearly. */
    private void touch(String name, int seconds) throws IOException {
        Files.setLastModifiedTime(directory.resolve(name),
                FileTime.from(Instant.parse("2026-11-20T09:00:00Z").plusSeconds(seconds)));
    }

    /** {@code echo > firewall.log}: truncated in place, one empty line written. */
    private void clearWithEcho() throws IOException {
        Files.writeString(files.log(), "\n", StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /** logrotate's {@code compress} without {@code delaycompress}: the log renamed, compressed, the plain copy removed. */
    private void rotateCompressed(String to, int seconds) throws IOException {
        files.rename("firewall.log", "firewall.log.1");
        compress("firewall.log.1", to);
        touch(to, seconds);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    /** Compresses a file into another and removes it, keeping its modification time, as logrotate does. */
    private void compress(String from, String to) throws IOException {
        FileTime modified = Files.getLastModifiedTime(directory.resolve(from));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(directory.resolve(to)))) {
            Files.copy(directory.resolve(from), out);
        }
        Files.setLastModifiedTime(directory.resolve(to), modified);
        Files.delete(directory.resolve(from));
    }
}
