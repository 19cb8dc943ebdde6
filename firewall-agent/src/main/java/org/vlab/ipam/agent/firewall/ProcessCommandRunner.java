package org.vlab.ipam.agent.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link CommandRunner} over {@link ProcessBuilder}. Stdin is written, and both output streams
 * drained, by threads of their own while the process runs, so neither a large iptables-save, a
 * chatty error, nor a child that stops reading its input can block the caller: the timeout
 * covers the whole run, and a process that outlives it is killed.
 */
public final class ProcessCommandRunner implements CommandRunner {

    @Override
    public Completed run(List<String> command, String stdin, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        feed(process.getOutputStream(), stdin);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CommandTimedOutException(command.get(0) + " did not finish within " + timeout
                        + " and was killed");
            }
            return new Completed(process.exitValue(), stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("could not read the output of " + command.get(0), e);
        }
    }

    /** Writes {@code stdin} and closes it; a child that exits or is killed early ends the write with an error. */
    private static void feed(OutputStream in, String stdin) {
        Thread writer = new Thread(() -> {
            try (in) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process exited (or was killed) before reading everything; its exit code and stderr say why
            }
        }, "process-input");
        writer.setDaemon(true);
        writer.start();
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }, "process-output");
        reader.setDaemon(true);
        reader.start();
        return result;
    }
}
