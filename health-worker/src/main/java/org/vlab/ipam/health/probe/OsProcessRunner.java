package org.vlab.ipam.health.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ProcessRunner} over {@link ProcessBuilder}. The output is read while the program runs
 * (fping over a chunk of addresses prints far more than a pipe holds), so the process can never
 * block on a full pipe while we wait for it; beyond {@link #MAX_OUTPUT} bytes it is read and
 * dropped.
 */
final class OsProcessRunner implements ProcessRunner {

    static final int MAX_OUTPUT = 4 * 1024 * 1024;
    private static final Duration OUTPUT_AFTER_EXIT = Duration.ofSeconds(5);

    @Override
    public Result run(List<String> command, Duration deadline) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Messages in the C locale, as the parsers expect, whatever the host's language.
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        try {
            process.getOutputStream().close();
            CompletableFuture<String> output = drain(process.getInputStream());
            if (!process.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "", true);
            }
            // the output ends with the process; a child holding the pipe open must not hold us
            return new Result(process.exitValue(), output.get(OUTPUT_AFTER_EXIT.toMillis(), TimeUnit.MILLISECONDS), false);
        } catch (TimeoutException e) {
            throw new IOException(command.get(0) + " exited but its output did not end within " + OUTPUT_AFTER_EXIT, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause()
                    : new IOException("reading the output of " + command.get(0), e.getCause());
        } finally {
            if (process.isAlive()) {
                // Interrupted while waiting (the worker is stopping): leave no process behind.
                process.destroyForcibly();
            }
        }
    }

    /** Reads the stream to its end on a thread of its own; the stream ends when the process does. */
    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                for (int read; (read = stream.read(buffer)) >= 0; ) {
                    kept.write(buffer, 0, Math.max(0, Math.min(read, MAX_OUTPUT - kept.size())));
                }
                text.complete(kept.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
            }
        }, "process-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}
