package org.vlab.ipam.agent.firewall;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.vlab.ipam.agent.rules.RestoreScript;

/**
 * The two iptables programs the agent runs: {@code iptables-save} to read the kernel's rules,
 * and {@code iptables-restore --noflush} to apply a whole rule set in one transaction, its
 * input on stdin. {@code --wait} bounds how long it queues behind another xtables user.
 */
public final class Iptables {

    static final List<String> SAVE = List.of("iptables-save");
    static final List<String> RESTORE = List.of("iptables-restore", "--noflush", "--wait=10");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** "Error occurred at line: 4" (nft), "line 4 failed" and "COMMIT expected at line 3" (legacy). */
    private static final Pattern LINE = Pattern.compile("\\bline:? (\\d+)");

    private final CommandRunner runner;

    public Iptables(CommandRunner runner) {
        this.runner = runner;
    }

    public String save() throws FirewallException {
        CommandRunner.Completed run = run(SAVE, null);
        if (run.exitCode() != 0) {
            throw new FirewallException(reason(run), null, null);
        }
        return run.stdout();
    }

    public void restore(RestoreScript script) throws FirewallException {
        CommandRunner.Completed run = run(RESTORE, script.text());
        if (run.exitCode() != 0) {
            Matcher line = LINE.matcher(run.stderr());
            throw new FirewallException(reason(run), line.find() ? Integer.valueOf(line.group(1)) : null, null);
        }
    }

    private CommandRunner.Completed run(List<String> command, String stdin) throws FirewallException {
        try {
            return runner.run(command, stdin, TIMEOUT);
        } catch (IOException e) {
            throw new FirewallException("could not run " + command.get(0) + ": " + e.getMessage(), null, e);
        }
    }

    /** iptables' stderr without its generic usage hint. */
    private static String reason(CommandRunner.Completed run) {
        String stderr = run.stderr().lines().filter(line -> !line.startsWith("Try `iptables-restore -h'"))
                .filter(line -> !line.isBlank()).collect(Collectors.joining("\n"));
        return stderr.isBlank() ? "iptables exited with " + run.exitCode() : stderr;
    }
}
