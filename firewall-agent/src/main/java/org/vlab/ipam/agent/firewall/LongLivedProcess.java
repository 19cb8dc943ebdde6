package org.vlab.ipam.agent.firewall;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;

/**
 * A program the agent keeps running and talks to in lines: input of up to a page written at
 * once, longer input by a thread of its own (so a child that stops reading cannot hold the
 * caller past its deadline), output read by {@link ChildOutput}: a child that exited shows as
 * the end of its output. A child that lets a deadline pass is killed and the process marked
 * unusable for good ({@link #timedOut}): its owner then falls back to a process per
 * transaction. Not thread-safe: its owner serialises the calls.
 */
public final class LongLivedProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LongLivedProcess.class);

    /**
     * Input this short is written by the caller: a pipe holds at least a page even where the
     * kernel shrank it (pipe-user-pages-soft), and the owner sends only once the child read
     * everything before (it answered), so the write cannot block; a thread hop less per change.
     */
    static final int INLINE_BYTES = 4096;
    private static final long EXIT_WAIT_MS = 200;

    private final List<String> command;
    private final Map<String, String> environment;
    private final String description;
    private final boolean mergeStderr;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            runnable -> ChildOutput.daemon("firewall-in", runnable));
    private Process process;
    private OutputStream stdin;
    private ChildOutput output;
    private volatile boolean usable = true;

    /** @param mergeStderr whether the child's stderr joins its stdout, in the order written */
    public LongLivedProcess(List<String> command, boolean mergeStderr) {
        this(command, mergeStderr, Map.of());
    }

    /** @param environment variables set for the child on top of the agent's own */
    public LongLivedProcess(List<String> command, boolean mergeStderr, Map<String, String> environment) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.description = String.join(" ", command);
        this.mergeStderr = mergeStderr;
    }

    /** Whether transactions may still come here: false once one went unanswered. */
    public boolean usable() {
        return usable;
    }

    /**
     * Starts the child unless it runs; returns whether this call started it. A child that
     * cannot start is {@link Kind#UNAVAILABLE}.
     */
    public boolean ensureRunning() throws FirewallException {
        if (process != null && process.isAlive()) {
            return false;
        }
        Process started;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(mergeStderr);
            builder.environment().putAll(environment);
            started = builder.start();
        } catch (IOException e) {
            throw new FirewallException(Kind.UNAVAILABLE, "could not run " + description + ": " + e.getMessage(), null, e);
        }
        output = new ChildOutput(started);
        process = started;
        stdin = started.getOutputStream();
        log.info("started {} for the agent's transactions (pid {})", description, started.pid());
        return true;
    }

    /**
     * Forgets output not read yet, then sends {@code text}; a child that exited meanwhile shows
     * as the end of its output. Only once the child has read everything sent before (it
     * answered): a short text is then written here without blocking.
     */
    public void send(String text) {
        output.clear();
        OutputStream input = stdin;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= INLINE_BYTES) {
            write(input, bytes);
        } else {
            CompletableFuture.runAsync(() -> write(input, bytes), writer);
        }
    }

    private static void write(OutputStream input, byte[] bytes) {
        try {
            input.write(bytes);
            input.flush();
        } catch (IOException e) {
            // the child exited (or was killed) before reading everything: its output says why
        }
    }

    /**
     * The next line of output, waiting until {@code deadline} ({@link System#nanoTime()});
     * empty at the end of the output; throws when the deadline passes first.
     */
    public Optional<String> nextLine(long deadline) throws InterruptedException, TimeoutException {
        return output.nextLine(deadline);
    }

    /** After the output ended: waits (bounded) for the child to exit and its stderr to be read; returns that stderr. */
    public String stderrAfterExit(long timeoutMillis) throws InterruptedException {
        process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        return output.stderrAtEnd(timeoutMillis);
    }

    /** The running child's id, or -1. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /**
     * The child let {@code timeout} pass (a host where the answer never leaves it, say, or a
     * hung kernel): it is {@linkplain #retire retired}, and the transaction is
     * {@link Kind#TRANSIENT}, to be retried by a process of its own.
     */
    public FirewallException timedOut(Duration timeout) {
        retire("did not answer within " + timeout);
        return new FirewallException(Kind.TRANSIENT, description + " did not commit within " + timeout
                + " and was killed", null, null);
    }

    /** Kills the child and uses none again: its owner runs a process per transaction from now on. */
    public void retire(String why) {
        stop();
        usable = false;
        log.error("{} {}; it was killed, and changes run a process each from now on", description, why);
    }

    /** The caller was interrupted while waiting: the child is killed (its state is unknown) and the flag kept. */
    public FirewallException interrupted(InterruptedException cause) {
        Thread.currentThread().interrupt();
        stop();
        return new FirewallException(Kind.TRANSIENT, "interrupted while " + description + " committed", null, cause);
    }

    /** Kills the child; the next {@link #ensureRunning} starts another. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            process = null;
        }
    }

    /**
     * Ends a child that answered everything sent to it: its input is closed, so it exits as at
     * the end of a script (within {@value #EXIT_WAIT_MS} ms, or it is killed); the next
     * {@link #ensureRunning} starts another. Only between transactions: a child still reading
     * could hold the close.
     */
    public void end() {
        if (process != null) {
            try {
                stdin.close();
                process.waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                // it closed its end already; killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop();
        }
    }

    @Override
    public void close() {
        end();
        writer.shutdownNow();
    }
}
