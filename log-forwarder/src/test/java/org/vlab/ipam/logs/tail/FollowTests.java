package org.vlab.ipam.logs.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The decision taken when the file being read has nothing more. */
class FollowTests {

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration NOW = Duration.ZERO;

    @Test
    void theSameFileAtThePathIsWaitedOn() {
        assertThat(decide("1:10", "aa", 100, 100, file("1:10", 100, "aa"), NOW)).isEqualTo(Follow.STAY);
    }

    @Test
    void theSameInodeShrunkBelowTheOffsetWasTruncated() {
        assertThat(decide("1:10", "aa", 100, 0, file("1:10", 0, null), NOW)).isEqualTo(Follow.TRUNCATED);
        assertThat(decide("1:10", "aa", 100, 40, file("1:10", 40, "bb"), NOW)).isEqualTo(Follow.TRUNCATED);
    }

    @Test
    void theSameInodeStartingDifferentlyIsAnotherFileEvenWhenLarger() {
        // truncated and written again past the offset, or a deleted file's inode reused
        assertThat(decide("1:10", "aa", 100, 500, file("1:10", 500, "bb"), NOW)).isEqualTo(Follow.TRUNCATED);
    }

    @Test
    void aRenamedFileIsLeftOnceTheNewFileHasData() {
        assertThat(decide("1:10", "aa", 100, 100, file("1:11", 20, "cc"), NOW)).isEqualTo(Follow.ROTATED);
    }

    @Test
    void aRenamedFileIsKeptWhileTheNewOneIsEmptyOrMissingAndItMayStillGrow() {
        assertThat(decide("1:10", "aa", 100, 100, file("1:11", 0, null), Duration.ofSeconds(1))).isEqualTo(Follow.STAY);
        assertThat(decide("1:10", "aa", 100, 100, null, Duration.ofSeconds(1))).isEqualTo(Follow.STAY);
    }

    @Test
    void aRenamedFileQuietForTheGraceIsLeftEvenBeforeTheNewFileHasData() {
        assertThat(decide("1:10", "aa", 100, 100, file("1:11", 0, null), GRACE)).isEqualTo(Follow.ROTATED);
        assertThat(decide("1:10", "aa", 100, 100, null, GRACE)).isEqualTo(Follow.ROTATED);
    }

    @Test
    void anUnterminatedLastLineGetsTheGraceToBeCompleted() {
        assertThat(decide("1:10", "aa", 100, 120, file("1:11", 20, "cc"), Duration.ofSeconds(1))).isEqualTo(Follow.STAY);
        assertThat(decide("1:10", "aa", 100, 120, file("1:11", 20, "cc"), GRACE)).isEqualTo(Follow.ROTATED);
    }

    private static Follow decide(String key, String fingerprint, long offset, long size, FileSnapshot atPath,
            Duration idle) {
        return Follow.decide(key, fingerprint, offset, size, atPath, idle, GRACE);
    }

    private static FileSnapshot file(String key, long size, String fingerprint) {
        return new FileSnapshot(Path.of("/var/log/kern.log"), key, size, Instant.EPOCH, fingerprint);
    }
}
