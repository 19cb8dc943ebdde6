package org.vlab.ipam.health.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ProcessRunner} over {@link ProcessBuilder}. The output of the programs it runs (fping
 * for one address) is a few hundred bytes, far below a pipe's buffer, so it is read after the
 * exit and the process can never block on a full pipe while we wait for it.
 */
final class OsProcessRunner implements ProcessRunner {

    private static final int MAX_OUTPUT = 16 * 1024;

    @Override
    public Result run(List<String> command, Duration deadline) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Messages in the C locale, as the parsers expect, whatever the host's language.
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "", true);
            }
            try (InputStream output = process.getInputStream()) {
                return new Result(process.exitValue(),
                        new String(output.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8), false);
            }
        } finally {
            if (process.isAlive()) {
                // Interrupted while waiting (the worker is stopping): leave no process behind.
                process.destroyForcibly();
            }
        }
    }
}
