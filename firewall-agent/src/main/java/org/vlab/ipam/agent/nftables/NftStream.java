package org.vlab.ipam.agent.nftables;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.firewall.LongLivedProcess;
import org.vlab.ipam.agent.rules.RestoreScript;

/**
 * One long-lived {@code nft -i} for syncs of changes, so a change does not pay for starting a
 * process. nft runs each input line as one transaction (all of it or nothing), so a change
 * script's commands go on one line, joined by {@code ;} (they are single-line commands). nft
 * prints nothing when a transaction succeeds and carries on after one that fails, so each line is
 * followed by a barrier that always fails the same way, read-only: listing a set that never
 * exists. Everything nft printed before the barrier's error is the transaction's; an
 * {@code Error:} there is a refusal, traced to its command by nft's caret under it. The next
 * transaction uses the same process; one that died or hung is replaced.
 * <p>
 * {@code nft -i} reads its input through libedit, which keeps every line in a history that
 * each new line searches: a transaction took 0.25 ms on a fresh process and 1.1 ms after 4,000
 * (firewall-agent/README.md, "The nftables backend"). nft also loads that history from
 * {@code $HOME/.nft.history} at start and writes it back at exit, so it would grow over the
 * agent's whole life and slow every later process too. The child therefore runs with
 * {@code HOME=/dev/null} (no directory, so no file), and is replaced after
 * {@value #TRANSACTIONS_PER_PROCESS} transactions: a process start (a few milliseconds) per
 * that many changes.
 */
public final class NftStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NftStream.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String BARRIER = "list set ip " + NftRenderer.TABLE + " vlab-ipam-barrier";
    private static final String SEPARATOR = "; ";
    public static final int TRANSACTIONS_PER_PROCESS = 1000;
    /** nft reading commands from stdin, its output line-buffered. */
    public static final List<String> COMMAND = List.of("stdbuf", "-oL", "nft", "-i");
    /** Where nft looks for its history file: {@code /dev/null/.nft.history} can be neither read nor written. */
    static final Map<String, String> NO_HISTORY_FILE = Map.of("HOME", "/dev/null");

    private final LongLivedProcess process;
    private final Duration timeout;
    private final int transactionsPerProcess;
    private int transactionsOnThisProcess;

    /** {@code command} runs {@link #COMMAND}, perhaps in a namespace. */
    public NftStream(List<String> command) {
        this(command, TIMEOUT);
    }

    NftStream(List<String> command, Duration timeout) {
        this(command, timeout, TRANSACTIONS_PER_PROCESS);
    }

    NftStream(List<String> command, Duration timeout, int transactionsPerProcess) {
        this.process = new LongLivedProcess(command, true, NO_HISTORY_FILE);
        this.timeout = timeout;
        this.transactionsPerProcess = transactionsPerProcess;
    }

    /** Whether changes may still come here: false once a transaction went unanswered (then: a process each). */
    public boolean usable() {
        return process.usable();
    }

    /** A stream when stdbuf runs; empty otherwise (a process per transaction). */
    public static Optional<NftStream> available(CommandRunner runner) {
        try {
            if (runner.run(List.of("stdbuf", "--version"), null, TIMEOUT).exitCode() == 0) {
                return Optional.of(new NftStream(COMMAND));
            }
        } catch (IOException e) {
            log.info("cannot keep nft running ({}): a process per transaction", e.getMessage());
        }
        return Optional.empty();
    }

    /** Commits {@code script}'s commands as one transaction; a refusal names the script's line when nft pointed at it. */
    public synchronized void commit(RestoreScript script) throws FirewallException {
        if (transactionsOnThisProcess >= transactionsPerProcess) {
            process.end(); // between transactions: everything sent was answered
        }
        if (process.ensureRunning()) {
            transactionsOnThisProcess = 0;
        }
        transactionsOnThisProcess++;
        List<String> commands = script.text().lines().filter(line -> !line.isBlank()).toList();
        String transaction = String.join(SEPARATOR, commands);
        process.send(transaction + "\n" + BARRIER + "\n");
        List<String> output = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Optional<String> line = process.nextLine(deadline);
                if (line.isEmpty()) {
                    process.stop();
                    throw new FirewallException(Kind.REFUSED, "nft -i exited: " + String.join("\n", output), null, null);
                }
                if (line.get().equals(BARRIER)) {
                    process.nextLine(deadline); // the barrier's caret line
                    break;
                }
                output.add(line.get());
            }
        } catch (InterruptedException e) {
            throw process.interrupted(e);
        } catch (TimeoutException e) {
            throw process.timedOut(timeout);
        }
        if (!output.isEmpty()) {
            output.remove(output.size() - 1); // the barrier's own error
        }
        if (output.stream().anyMatch(line -> line.startsWith("Error: "))) {
            throw refusal(output, transaction, commands);
        }
    }

    /** nft's errors; the line is the command under the first caret, when nft echoed the transaction and pointed into it. */
    private static FirewallException refusal(List<String> output, String transaction, List<String> commands) {
        String errors = String.join("\n", output.stream().filter(line -> line.startsWith("Error: ")).toList());
        int echo = output.indexOf(transaction);
        int caret = echo >= 0 && echo + 1 < output.size() ? output.get(echo + 1).indexOf('^') : -1;
        if (caret < 0) {
            return new FirewallException(Kind.REFUSED, errors, null, null);
        }
        int start = 0;
        for (int line = 1; line <= commands.size(); line++) {
            int end = start + commands.get(line - 1).length();
            if (caret < end + SEPARATOR.length()) {
                return new FirewallException(Kind.REFUSED, "line " + line + ": " + errors, line, null);
            }
            start = end + SEPARATOR.length();
        }
        return new FirewallException(Kind.REFUSED, errors, null, null);
    }

    /** The running process's id, or -1. */
    synchronized long pid() {
        return process.pid();
    }

    @Override
    public synchronized void close() {
        process.close();
    }
}
