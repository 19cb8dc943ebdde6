package org.vlab.ipam.agent.firewall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.rules.RestoreScript;

/**
 * One long-lived {@code iptables-restore --noflush} (nf_tables variant only) that commits
 * transaction after transaction from its stdin, so a change does not pay for starting a
 * process (several milliseconds on a small VM, most of a change's cost). iptables-nft-restore
 * commits each table at its {@code COMMIT} line, with the kernel's generation check, and reads
 * the kernel afresh for the next one, so other tools' changes in between are seen.
 * <p>
 * It prints nothing when a commit succeeds, so each transaction is followed by a barrier: a
 * check ({@code -v -C}) of the agent's own jump, which prints that rule once everything before
 * it was committed; {@code stdbuf -oL} makes that line leave the process at once. A refused
 * line makes the process exit with the reason on stderr, its line number counted over the
 * process's whole input, which this class turns back into the script's own; the next
 * transaction starts a new process. A barrier that fails means the script committed but the
 * jump is gone: reported as refused, so the sync reads the kernel back and repairs it.
 */
public final class RestoreStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RestoreStream.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LINE = Pattern.compile("\\bline:? (\\d+)");
    /** Marks the end of the process's stdout in {@link #barrierLines} (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String ENDED = new String("ended");

    private final List<String> command;
    private Process process;
    private Writer stdin;
    private BlockingQueue<String> barrierLines;
    private StringBuffer stderr;
    private Thread stderrReader;
    /**
     * Writes each transaction, so that a process that stops reading cannot hold up the sync
     * thread beyond the timeout (a large transaction does not fit in the pipe).
     */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "iptables-restore-in");
        thread.setDaemon(true);
        return thread;
    });
    /** Lines the current process has been sent: its error line numbers count from its first. */
    private int linesSent;

    /** {@code command} starts the restore program with line-buffered stdout (see {@link IptablesVariant#restoreStream()}). */
    public RestoreStream(List<String> command) {
        this.command = List.copyOf(command);
    }

    /**
     * A stream for {@code variant} when its iptables-restore is the nf_tables one and stdbuf runs;
     * empty otherwise (legacy iptables keeps a process per transaction).
     */
    public static Optional<RestoreStream> forVariant(IptablesVariant variant, CommandRunner runner) {
        try {
            CommandRunner.Completed version = runner.run(variant.restoreVersion(), null, TIMEOUT);
            CommandRunner.Completed stdbuf = runner.run(List.of("stdbuf", "--version"), null, TIMEOUT);
            if (version.stdout().contains("(nf_tables)") && stdbuf.exitCode() == 0) {
                return Optional.of(new RestoreStream(variant.restoreStream()));
            }
            log.info("{}-restore is not the nf_tables one, or stdbuf is missing: a process per transaction", variant);
        } catch (IOException e) {
            log.info("cannot keep {}-restore running ({}): a process per transaction", variant, e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Commits {@code script} (ending in {@code COMMIT}) and waits for {@code barrierRule} (an
     * {@code -A} rule of nat that exists after the commit) to be checked. Refusals carry the
     * script's own line number.
     */
    public synchronized void commit(RestoreScript script, String barrierRule) throws FirewallException {
        if (process == null || !process.isAlive()) {
            start();
        }
        int offset = linesSent;
        String barrier = "*nat\n-v -C" + barrierRule.substring(2) + "\nCOMMIT\n";
        barrierLines.clear();
        stderr.setLength(0);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        linesSent += script.lineCount() + 3;
        Writer input = stdin;
        CompletableFuture.runAsync(() -> {
            try {
                input.write(script.text());
                input.write(barrier);
                input.flush();
            } catch (IOException e) {
                // the process exited (or was killed) before reading everything: its stderr says why
            }
        }, writer);
        String answer;
        try {
            answer = barrierLines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new FirewallException(Kind.TRANSIENT, "interrupted while iptables-restore committed", null, e);
        }
        if (answer == null) {
            stop();
            throw new FirewallException(Kind.TRANSIENT, "iptables-restore did not commit within " + TIMEOUT
                    + " and was killed", null, null);
        }
        if (answer != ENDED) {
            return;
        }
        throw refusal(script, offset);
    }

    /** The process exited: why, with the line number counted from the script's first line. */
    private FirewallException refusal(RestoreScript script, int offset) {
        int exit;
        try {
            exit = process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = -1;
        }
        try {
            stderrReader.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        int code = exit;
        String reason = stderr.toString().lines().filter(line -> !line.startsWith("Try `iptables-restore -h'"))
                .filter(line -> !line.isBlank()).reduce((a, b) -> a + "\n" + b).orElse("iptables-restore exited with "
                        + code);
        Matcher line = LINE.matcher(reason);
        if (!line.find()) {
            return new FirewallException(Kind.REFUSED, reason, null, null);
        }
        int own = Integer.parseInt(line.group(1)) - offset;
        String ownReason = LINE.matcher(reason).replaceAll(match -> match.group()
                .replace(match.group(1), Integer.toString(Integer.parseInt(match.group(1)) - offset)));
        if (own > script.lineCount()) {
            return new FirewallException(Kind.REFUSED, "the transaction committed, but the agent's jump it checks "
                    + "afterwards is gone: " + ownReason, null, null);
        }
        return new FirewallException(Kind.REFUSED, ownReason, own, null);
    }

    private void start() throws FirewallException {
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new FirewallException(Kind.UNAVAILABLE, "could not run " + command + ": " + e.getMessage(), null, e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuffer errors = new StringBuffer();
        barrierLines = lines;
        stderr = errors;
        linesSent = 0;
        Process started = process;
        daemon("iptables-restore-out", () -> {
            try (BufferedReader out = reader(started.getInputStream())) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone; ENDED says so
            }
            lines.add(ENDED);
        });
        stderrReader = daemon("iptables-restore-err", () -> {
            try (BufferedReader err = reader(started.getErrorStream())) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    errors.append(line).append('\n');
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        log.info("started {} for the agent's transactions (pid {})", String.join(" ", command), process.pid());
    }

    /** The running process's id, or -1: tests show transactions share it. */
    synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    private void stop() {
        if (process != null) {
            process.destroyForcibly();
            process = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        writer.shutdownNow();
    }

    private static BufferedReader reader(InputStream stream) {
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
