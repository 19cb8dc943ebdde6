package org.vlab.ipam.agent.nftables;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vlab.ipam.agent.firewall.CommandRunner;

/**
 * Whether iptables' own FORWARD chain on this host drops what the agent's table accepts. In
 * nftables every base chain at the forward hook must accept a packet, so under a FORWARD policy
 * DROP the agent's accept is not enough: the host needs the administrator's rule accepting the
 * agent's mark (README, "The nftables backend"). Without it every mapping is applied and none
 * carries a connection, which the agent reports instead of leaving silent. Reads both iptables
 * variants with a plain {@code -save} (it lists only tables that exist, so it creates none);
 * a variant that is not installed has nothing to say. Chains the FORWARD chain jumps to, and
 * other nftables tables' forward chains, are not followed.
 */
public final class HostForwardPolicy {

    /** The rule the README asks for, as the agent's message quotes it. */
    public static final String MARK_ACCEPT = "iptables -I FORWARD -m mark --mark " + NftRenderer.ACCEPT_MARK + "/"
            + NftRenderer.ACCEPT_MARK + " -m comment --comment vlab-ipam-nft -j ACCEPT";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> VARIANTS = List.of("iptables-nft", "iptables-legacy");
    /** The mark match as iptables-save prints it (without leading zeros). */
    private static final String SAVED_MARK = "--mark 0x" + Long.toHexString(Long.decode(NftRenderer.ACCEPT_MARK)) + "/0x"
            + Long.toHexString(Long.decode(NftRenderer.ACCEPT_MARK)) + " ";
    private static final Pattern UNCONDITIONAL_DROP = Pattern.compile("^-A FORWARD -j (DROP|REJECT)\\b.*");

    private final CommandRunner runner;

    public HostForwardPolicy(CommandRunner runner) {
        this.runner = runner;
    }

    /** Why connections through the agent's mappings would be dropped on this host; empty when nothing says so. */
    public Optional<String> problem() {
        for (String variant : VARIANTS) {
            try {
                CommandRunner.Completed run = runner.run(List.of(variant + "-save"), null, TIMEOUT);
                if (run.exitCode() == 0) {
                    Optional<String> problem = problemIn(variant, run.stdout());
                    if (problem.isPresent()) {
                        return problem;
                    }
                }
            } catch (IOException e) {
                // this variant is not installed: it holds no rules that could drop anything
            }
        }
        return Optional.empty();
    }

    /**
     * The problem {@code save} (iptables-save output of {@code variant}) shows: its filter
     * table's FORWARD chain drops, by policy or by an unconditional DROP or REJECT rule, before
     * any rule accepts the agent's mark.
     */
    static Optional<String> problemIn(String variant, String save) {
        boolean inFilter = false;
        boolean policyDrop = false;
        for (String line : save.lines().map(String::strip).toList()) {
            if (line.startsWith("*")) {
                inFilter = line.equals("*filter");
            } else if (!inFilter) {
                continue;
            } else if (line.startsWith(":FORWARD ")) {
                policyDrop = line.startsWith(":FORWARD DROP");
            } else if (acceptsMark(line)) {
                return Optional.empty();
            } else if (UNCONDITIONAL_DROP.matcher(line).matches()) {
                return Optional.of(message(variant, "has the rule '" + line + "' before any rule accepting the mark"));
            }
        }
        return policyDrop ? Optional.of(message(variant, "has the policy DROP and no rule accepting the mark"))
                : Optional.empty();
    }

    private static boolean acceptsMark(String line) {
        return line.startsWith("-A FORWARD ") && line.endsWith("-j ACCEPT") && line.contains(SAVED_MARK);
    }

    private static String message(String variant, String what) {
        return "the host's " + variant + " FORWARD chain " + what + " " + NftRenderer.ACCEPT_MARK
                + ": connections through every mapping are dropped; add: " + MARK_ACCEPT;
    }
}
