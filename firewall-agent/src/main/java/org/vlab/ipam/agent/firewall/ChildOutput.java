package org.vlab.ipam.agent.firewall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a started child prints, each stream read by a daemon thread of its own (so a child
 * never blocks on a full pipe): stdout line by line into a queue whose end says the child
 * exited, stderr collected as text. The caller decides what a line means.
 */
final class ChildOutput {

    /** Marks the end of the child's stdout in {@link #lines} (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String ENDED = new String("ended");

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stderrReader;

    /** Starts reading {@code child}'s stdout and stderr. */
    ChildOutput(Process child) {
        daemon("firewall-out", () -> {
            try (BufferedReader reader = reader(child.getInputStream())) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child is gone; ENDED says so
            }
            lines.add(ENDED);
        }).start();
        stderrReader = daemon("firewall-err", () -> {
            try (BufferedReader reader = reader(child.getErrorStream())) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    stderr.append(line).append('\n');
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        stderrReader.start();
    }

    /** Forgets what was printed and not read yet, before the next input. */
    void clear() {
        lines.clear();
        stderr.setLength(0);
    }

    /**
     * The next line of stdout, waiting until {@code deadline} ({@link System#nanoTime()});
     * empty at its end; throws when the deadline passes first.
     */
    Optional<String> nextLine(long deadline) throws InterruptedException, TimeoutException {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new TimeoutException();
        }
        return line == ENDED ? Optional.empty() : Optional.of(line);
    }

    /** The stderr collected, once its reader finished or {@code timeoutMillis} passed. */
    String stderrAtEnd(long timeoutMillis) throws InterruptedException {
        stderrReader.join(timeoutMillis);
        return stderr.toString();
    }

    static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static BufferedReader reader(InputStream stream) {
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }
}
