package org.vlab.ipam.agent.nftables;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.rules.RestoreScript;

/**
 * The {@code nft} program: {@code nft -j list table} to read the agent's table back as JSON, and
 * {@code nft -f -} to apply one transaction from stdin, which nftables commits whole or not at all.
 * Its errors name the input's line ({@code /dev/stdin:4:1-20: Error: ...}), which the reason
 * keeps as {@code line 4:} so a refusal traces to its mapping.
 */
public final class Nft {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LOCATION = Pattern.compile("^/dev/stdin:(\\d+):[0-9-]+: ");
    /** "Error: No such file or directory" for a table that is not there (yet). */
    private static final String NO_SUCH = "No such file or directory";

    private final CommandRunner runner;

    public Nft(CommandRunner runner) {
        this.runner = runner;
    }

    /** The agent's table as {@code nft -j} prints it; empty when the table does not exist. */
    public String listTable() throws FirewallException {
        CommandRunner.Completed run = run(List.of("nft", "-j", "list", "table", "ip", NftRenderer.TABLE), null);
        if (run.exitCode() != 0) {
            if (run.stderr().contains(NO_SUCH)) {
                return "";
            }
            throw new FirewallException(Kind.REFUSED, reason(run), null, null);
        }
        return run.stdout();
    }

    public void apply(RestoreScript script) throws FirewallException {
        CommandRunner.Completed run = run(List.of("nft", "-f", "-"), script.text());
        if (run.exitCode() != 0) {
            Matcher line = LOCATION.matcher(run.stderr());
            throw new FirewallException(Kind.REFUSED, reason(run), line.find() ? Integer.valueOf(line.group(1)) : null,
                    null);
        }
    }

    private CommandRunner.Completed run(List<String> command, String stdin) throws FirewallException {
        return runner.runFirewall(command, stdin, TIMEOUT);
    }

    /** nft's error lines, each with its location as {@code line N:}, without the echoed input and its markers. */
    static String reason(CommandRunner.Completed run) {
        String errors = run.stderr().lines().filter(line -> line.contains("Error: "))
                .map(line -> LOCATION.matcher(line).replaceFirst(match -> "line " + match.group(1) + ": "))
                .collect(Collectors.joining("\n"));
        return errors.isBlank() ? (run.stderr().isBlank() ? "nft exited with " + run.exitCode() : run.stderr()) : errors;
    }
}
