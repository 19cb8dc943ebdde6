package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One forwarder per state directory (another process's hold: {@code ExecutableJarTests}). */
class StateDirectoryLockTests {

    @TempDir
    Path directory;

    @Test
    void aSecondHolderIsRefusedNamingTheFirstAndMayTakeItOnceReleased() throws IOException {
        Path state = directory.resolve("state");
        StateDirectoryLock first = StateDirectoryLock.acquire(state);

        assertThat(Files.readString(state.resolve(StateDirectoryLock.FILE_NAME)))
                .isEqualTo("pid " + ProcessHandle.current().pid() + "\n");
        assertThatThrownBy(() -> StateDirectoryLock.acquire(state)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the state directory " + state + " (ipam.state-dir) is in use by another log forwarder (pid "
                        + ProcessHandle.current().pid() + "); give each forwarder a state directory of its own");

        first.close();
        StateDirectoryLock.acquire(state).close();
    }

    @Test
    void aStateDirectoryThatCannotBeCreatedIsNamedWithItsProperty() throws IOException {
        Path file = Files.writeString(directory.resolve("a-file"), "x");

        assertThatThrownBy(() -> StateDirectoryLock.acquire(file.resolve("state")))
                .hasMessage("cannot create the state directory " + file.resolve("state") + " (ipam.state-dir)");
    }
}
