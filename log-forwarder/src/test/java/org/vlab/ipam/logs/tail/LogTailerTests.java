package org.vlab.ipam.logs.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.logs.tail.LogDirectory.drain;
import static org.vlab.ipam.logs.tail.LogDirectory.texts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.logs.MutableClock;

/** The tailer on real files: appends, rotation by rename and by copy-truncate, absence, and resuming. */
class LogTailerTests {

    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path directory;
    private LogDirectory files;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));

    @BeforeEach
    void inTheTemporaryDirectory() {
        files = new LogDirectory(directory);
    }

    @Test
    void followsAppendsLineByLine() throws IOException {
        files.append("firewall.log", "a\nb\n");
        try (LogTailer tailer = tailer(null, 0)) {
            assertThat(texts(tailer)).containsExactly("a", "b");
            files.append("firewall.log", "c\nunfinish");
            assertThat(texts(tailer)).containsExactly("c");
            files.append("firewall.log", "ed\n");
            assertThat(texts(tailer)).containsExactly("unfinished");
        }
    }

    @Test
    void renameRotationFinishesTheOldFileThenReadsTheNewOne() throws IOException {
        files.append("firewall.log", "a\n");
        try (LogTailer tailer = tailer(null, 0)) {
            List<LogLine> first = drain(tailer);
            files.append("firewall.log", "b\n");
            files.rename("firewall.log", "firewall.log.1");
            files.append("firewall.log", "c\n");

            List<LogLine> rest = drain(tailer);

            assertThat(rest).extracting(LogLine::text).containsExactly("b", "c");
            assertThat(rest.get(0).file()).isEqualTo(first.get(0).file());
            assertThat(rest.get(0).start()).isEqualTo(2);
            assertThat(rest.get(1).file()).isNotEqualTo(first.get(0).file());
            assertThat(rest.get(1).start()).isZero();
        }
    }

    @Test
    void aRenamedFileIsReadOnWhileTheNewFileIsEmptyAndLeftAfterTheGrace() throws IOException {
        files.append("firewall.log", "a\n");
        try (LogTailer tailer = tailer(null, 0)) {
            drain(tailer);
            files.rename("firewall.log", "firewall.log.1");
            files.append("firewall.log", "");
            assertThat(texts(tailer)).isEmpty();
            files.append("firewall.log.1", "late\n");
            assertThat(texts(tailer)).containsExactly("late");

            clock.advance(GRACE);
            assertThat(texts(tailer)).isEmpty();
            files.append("firewall.log", "new\n");
            assertThat(texts(tailer)).containsExactly("new");
        }
    }

    @Test
    void rotationsThatPassedWhileNotReadingAreReadInTheOrderWritten() throws IOException {
        files.append("firewall.log", "1\n");
        try (LogTailer tailer = tailer(null, 0)) {
            assertThat(texts(tailer)).containsExactly("1");
            for (int i = 2; i <= 4; i++) {
                files.append("firewall.log", i + "\n");
                for (int k = 3; k >= 1; k--) {
                    if (Files.exists(directory.resolve("firewall.log." + k))) {
                        files.rename("firewall.log." + k, "firewall.log." + (k + 1));
                    }
                }
                files.rename("firewall.log", "firewall.log.1");
                sleepPastTheFileSystemsClockTick();
            }
            files.append("firewall.log", "5\n");

            assertThat(texts(tailer)).containsExactly("2", "3", "4", "5");
        }
    }

    @Test
    void copyTruncateReadsTheRestFromTheCopyThenTheFileFromItsStart() throws IOException {
        files.append("firewall.log", "1\n");
        try (LogTailer tailer = tailer(null, 0)) {
            LogLine first = tailer.next().orElseThrow();
            files.append("firewall.log", "2\n3\n");
            copyTruncate();
            files.append("firewall.log", "4\n");

            List<LogLine> rest = drain(tailer);

            assertThat(rest).extracting(LogLine::text).containsExactly("2", "3", "4");
            assertThat(rest.get(0).file()).as("the copy continues the original").isEqualTo(first.file());
            assertThat(rest.get(0).start()).isEqualTo(2);
            assertThat(rest.get(2).file()).isNotEqualTo(first.file());
            assertThat(rest.get(2).start()).isZero();
        }
    }

    @Test
    void aFileTruncatedAndWrittenPastTheReadOffsetIsNoticedByItsFirstLine() throws IOException {
        files.append("firewall.log", "first line\n");
        try (LogTailer tailer = tailer(null, 0)) {
            assertThat(tailer.next().map(LogLine::text)).contains("first line");
            files.append("firewall.log", "second line\n");
            copyTruncate();
            files.append("firewall.log", "a newer and much longer first line\nand more\n");

            assertThat(texts(tailer)).containsExactly("second line", "a newer and much longer first line", "and more");
        }
    }

    @Test
    void aTruncatedFileWithoutACopyIsReadFromItsStart() throws IOException {
        files.append("firewall.log", "old one\nold two\n");
        try (LogTailer tailer = tailer(null, 0)) {
            drain(tailer);
            try (FileChannel channel = FileChannel.open(directory.resolve("firewall.log"), StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            files.append("firewall.log", "new\n");

            assertThat(texts(tailer)).containsExactly("new");
        }
    }

    @Test
    void aMissingFileIsWaitedForLookingLessOftenTheLongerItIsMissing() throws IOException {
        AtomicInteger looks = new AtomicInteger();
        LogFiles counting = new CountingLogFiles(new LocalLogFiles(), looks);
        try (LogTailer tailer = new LogTailer(counting, files.log(), clock, POLL, GRACE, null, 0)) {
            for (int i = 0; i < 5; i++) {
                assertThat(tailer.next()).isEmpty();
            }
            assertThat(looks).as("one look until the poll interval has passed").hasValue(1);
            clock.advance(POLL);
            tailer.next();
            clock.advance(POLL);
            tailer.next();
            assertThat(looks).as("the second wait is twice the first").hasValue(2);

            files.append("firewall.log", "here\n");
            clock.advance(Duration.ofSeconds(10));
            assertThat(texts(tailer)).containsExactly("here");
        }
    }

    @Test
    void resumesAtTheCheckpointInTheSameFile() throws IOException {
        files.append("firewall.log", "a\nb\nc\n");
        FileIdentity file = firstLine().file();

        try (LogTailer tailer = tailer(file, 2)) {
            assertThat(drain(tailer)).extracting(LogLine::text, LogLine::start).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("b", 2L), org.assertj.core.groups.Tuple.tuple("c", 4L));
        }
    }

    @Test
    void resumesInTheRotatedCheckpointedFileThenReadsTheLaterOnes() throws IOException {
        files.append("firewall.log", "a\nb\n");
        FileIdentity file = firstLine().file();
        files.rename("firewall.log", "firewall.log.2");
        sleepPastTheFileSystemsClockTick();
        files.append("firewall.log", "c\n");
        files.rename("firewall.log", "firewall.log.1");
        sleepPastTheFileSystemsClockTick();
        files.append("firewall.log", "d\n");

        try (LogTailer tailer = tailer(file, 2)) {
            assertThat(texts(tailer)).containsExactly("b", "c", "d");
        }
    }

    @Test
    void aCheckpointWhoseInodeNowHoldsAnotherFileIsNotResumed() throws IOException {
        files.append("firewall.log", "a new file on a reused inode\nsecond\n");
        FileIdentity reused = new FileIdentity(firstLine().file().key(), "0123456789abcdef");

        try (LogTailer tailer = tailer(reused, 7)) {
            assertThat(texts(tailer)).containsExactly("a new file on a reused inode", "second");
        }
    }

    @Test
    void aCheckpointWhoseFileIsGoneStartsAtTheBeginningOfTheLog() throws IOException {
        files.append("firewall.log", "a\nb\n");

        try (LogTailer tailer = tailer(new FileIdentity("0:1", "0123456789abcdef"), 2)) {
            assertThat(texts(tailer)).containsExactly("a", "b");
        }
    }

    @Test
    void theUnterminatedEndOfARotatedFileIsDeliveredAfterTheGrace() throws IOException {
        files.append("firewall.log", "a\ntorn");
        try (LogTailer tailer = tailer(null, 0)) {
            assertThat(texts(tailer)).containsExactly("a");
            files.rename("firewall.log", "firewall.log.1");
            files.append("firewall.log", "b\n");
            assertThat(texts(tailer)).isEmpty();

            clock.advance(GRACE);
            assertThat(texts(tailer)).containsExactly("torn", "b");
        }
    }

    @Test
    void bytesBehindAreWhatIsNotReadYet() throws IOException {
        files.append("firewall.log", "0123456789\n");
        try (LogTailer tailer = tailer(null, 0)) {
            assertThat(tailer.bytesBehind()).isEqualTo(11);
            drain(tailer);
            assertThat(tailer.bytesBehind()).isZero();
            files.append("firewall.log", "abc\n");
            assertThat(tailer.bytesBehind()).isEqualTo(4);
        }
    }

    private LogTailer tailer(FileIdentity resume, long offset) {
        return new LogTailer(new LocalLogFiles(), files.log(), clock, POLL, GRACE, resume, offset);
    }

    private LogLine firstLine() throws IOException {
        try (LogTailer tailer = tailer(null, 0)) {
            return tailer.next().orElseThrow();
        }
    }

    private void copyTruncate() throws IOException {
        Files.copy(files.log(), directory.resolve("firewall.log.1"));
        try (FileChannel channel = FileChannel.open(files.log(), StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    /** Modification times move in kernel clock ticks (a few milliseconds); files written in order must differ. */
    private static void sleepPastTheFileSystemsClockTick() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
