package org.vlab.ipam.agent.firewall;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
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
 * It prints nothing when a commit succeeds, so each transaction is followed by a barrier that
 * prints: {@code -S PREROUTING} of the raw table, whose first line ({@code -P PREROUTING ...})
 * comes once everything before it was committed; {@code stdbuf -oL} makes it leave the process
 * at once. The raw table holds nothing of the agent's, so the barrier reads little (a check of
 * the agent's own nat jump read the whole nat table: 3 ms with 1,000 mappings), and listing it
 * creates nothing. Lines the host's own raw rules add are skipped. A refused line makes the
 * process exit with the reason on stderr, its line number counted over the process's whole
 * input, which this class turns back into the script's own; the next transaction starts a new
 * process.
 */
public final class RestoreStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RestoreStream.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LINE = Pattern.compile("\\bline:? (\\d+)");
    /** Read-only, and the first line it prints marks the end of the transaction before it. */
    static final String BARRIER = "*raw\n-S PREROUTING\nCOMMIT\n";
    private static final String BARRIER_ANSWER = "-P PREROUTING ";
    private static final int BARRIER_LINES = 3;

    private final LongLivedProcess process;
    private final Duration timeout;
    /** Lines the current process has been sent: its error line numbers count from its first. */
    private int linesSent;

    /** {@code command} starts the restore program with line-buffered stdout (see {@link IptablesVariant#restoreStream()}). */
    public RestoreStream(List<String> command) {
        this(command, TIMEOUT);
    }

    RestoreStream(List<String> command, Duration timeout) {
        this.process = new LongLivedProcess(command, false);
        this.timeout = timeout;
    }

    /**
     * Whether changes may still come here: false once a transaction went unanswered (a host
     * where the barrier's line never leaves the process, say, or a hung kernel), after which
     * the backend runs a process per transaction for the rest of the agent's life.
     */
    public boolean usable() {
        return process.usable();
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

    /** Commits {@code script} (ending in {@code COMMIT}); refusals carry the script's own line number. */
    public synchronized void commit(RestoreScript script) throws FirewallException {
        if (process.ensureRunning()) {
            linesSent = 0;
        }
        int offset = linesSent;
        linesSent += script.lineCount() + BARRIER_LINES;
        process.send(script.text() + BARRIER);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Optional<String> line = process.nextLine(deadline); line.isPresent(); line = process.nextLine(deadline)) {
                if (line.get().startsWith(BARRIER_ANSWER)) {
                    return;
                }
            }
            throw refusal(script, offset, process.stderrAfterExit(timeout.toMillis()));
        } catch (InterruptedException e) {
            throw process.interrupted(e);
        } catch (TimeoutException e) {
            throw process.timedOut(timeout);
        }
    }

    /** The process exited: why, with the line number counted from the script's first line. */
    private FirewallException refusal(RestoreScript script, int offset, String stderr) {
        process.stop();
        String reason = stderr.lines().filter(line -> !line.startsWith("Try `iptables-restore -h'"))
                .filter(line -> !line.isBlank()).reduce((a, b) -> a + "\n" + b).orElse("iptables-restore exited");
        Matcher line = LINE.matcher(reason);
        if (!line.find()) {
            return new FirewallException(Kind.REFUSED, reason, null, null);
        }
        int own = Integer.parseInt(line.group(1)) - offset;
        String ownReason = LINE.matcher(reason).replaceAll(match -> match.group()
                .replace(match.group(1), Integer.toString(Integer.parseInt(match.group(1)) - offset)));
        if (own > script.lineCount()) {
            // the barrier itself failed: the transaction committed, but this host cannot tell when
            process.retire("refused the listing that follows each transaction: " + ownReason);
            return new FirewallException(Kind.REFUSED, "the transaction committed, but the listing after it failed: "
                    + ownReason, null, null);
        }
        return new FirewallException(Kind.REFUSED, ownReason, own, null);
    }

    /** The running process's id, or -1: tests show transactions share it. */
    synchronized long pid() {
        return process.pid();
    }

    @Override
    public synchronized void close() {
        process.close();
    }
}
