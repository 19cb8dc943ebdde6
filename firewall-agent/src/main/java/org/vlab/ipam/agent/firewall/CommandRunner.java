package org.vlab.ipam.agent.firewall;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a program with an argument array (never through a shell), feeding it stdin and collecting its output. */
public interface CommandRunner {

    Completed run(List<String> command, String stdin, Duration timeout) throws IOException;

    /** A finished run: exit code and both output streams. */
    record Completed(int exitCode, String stdout, String stderr) {
    }
}
