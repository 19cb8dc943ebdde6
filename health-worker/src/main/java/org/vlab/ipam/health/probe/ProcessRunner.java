package org.vlab.ipam.health.probe;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a program (an argument array, never a shell line) and returns its exit code and output. */
interface ProcessRunner {

    /**
     * Runs {@code command} and waits at most {@code deadline}; a process still running then is
     * killed and reported with {@link Result#killed()}.
     *
     * @throws IOException when the program cannot be started (missing, or not permitted)
     */
    Result run(List<String> command, Duration deadline) throws IOException, InterruptedException;

    /** Exit code (-1 when killed) and standard output and error, interleaved. */
    record Result(int exitCode, String output, boolean killed) {
    }
}
