package org.vlab.ipam.logs.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the forwarder says when it may not read the log: enough for an operator to fix it. */
class AccessProblemTests {

    @TempDir
    Path directory;

    @Test
    void namesTheFilesOwnerGroupAndModeAndWhoTheForwarderRunsAs() throws IOException {
        Path log = Files.writeString(directory.resolve("kern.log"), "a\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r-----"));
        String owner = Files.getOwner(log).getName();

        AccessDeniedException explained = AccessProblem.explain(log, new AccessDeniedException(log.toString()));

        assertThat(explained.getMessage()).contains(log.toString(), "permission denied: it is " + owner + ":",
                " rw-r-----", "the forwarder runs as uid ", " groups [", "adm, gid 4", "supplementalGroups");
        assertThat(explained.getCause()).isInstanceOf(AccessDeniedException.class);
    }
}
