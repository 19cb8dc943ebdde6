package org.vlab.ipam.agent.firewall;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.rules.RestoreScript;

/**
 * The two iptables programs the agent runs, of the host's variant: {@code iptables-save} of the
 * nat and filter tables (the only ones the agent writes) to read the kernel's rules, and
 * {@code iptables-restore --noflush} to apply a whole rule set, its input on stdin.
 * {@code --wait} bounds how long it queues behind another tool holding the xtables lock; a lock
 * still held then, or a run that times out, is {@link Kind#TRANSIENT}.
 */
public final class Iptables {

    static final List<String> TABLES = List.of("nat", "filter");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** "Error occurred at line: 4" (nft), "line 4 failed" and "COMMIT expected at line 3" (legacy). */
    private static final Pattern LINE = Pattern.compile("\\bline:? (\\d+)");
    /** Legacy iptables: "Another app is currently holding the xtables lock. Stopped waiting after 10s." */
    private static final Pattern LOCK_HELD = Pattern.compile("holding the xtables lock|Can't lock ");

    private final CommandRunner runner;
    private final IptablesVariant variant;

    public Iptables(CommandRunner runner, IptablesVariant variant) {
        this.runner = runner;
        this.variant = variant;
    }

    /** The nat and filter tables, one after the other, as iptables-save prints them. */
    public String save() throws FirewallException {
        StringBuilder all = new StringBuilder();
        for (String table : TABLES) {
            CommandRunner.Completed run = run(variant.save(table), null);
            if (run.exitCode() != 0) {
                throw new FirewallException(kindOf(run), reason(run), null, null);
            }
            all.append(run.stdout());
        }
        return all.toString();
    }

    public void restore(RestoreScript script) throws FirewallException {
        CommandRunner.Completed run = run(variant.restore(), script.text());
        if (run.exitCode() != 0) {
            Matcher line = LINE.matcher(run.stderr());
            throw new FirewallException(kindOf(run), reason(run), line.find() ? Integer.valueOf(line.group(1)) : null,
                    null);
        }
    }

    public IptablesVariant variant() {
        return variant;
    }

    private CommandRunner.Completed run(List<String> command, String stdin) throws FirewallException {
        return runner.runFirewall(command, stdin, TIMEOUT);
    }

    private static Kind kindOf(CommandRunner.Completed run) {
        return LOCK_HELD.matcher(run.stderr()).find() ? Kind.TRANSIENT : Kind.REFUSED;
    }

    /** iptables' stderr without its generic usage hint. */
    private static String reason(CommandRunner.Completed run) {
        String stderr = run.stderr().lines().filter(line -> !line.startsWith("Try `iptables-restore -h'"))
                .filter(line -> !line.isBlank()).collect(Collectors.joining("\n"));
        return stderr.isBlank() ? "iptables exited with " + run.exitCode() : stderr;
    }
}
