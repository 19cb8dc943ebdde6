package org.vlab.ipam.agent.firewall;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which iptables the agent runs: the host's rules live either in nf_tables (iptables-nft) or in
 * the legacy xtables (iptables-legacy), and rules written to the other one would be a second,
 * hidden firewall. Like Kubernetes' iptables-wrapper, the agent uses the variant that holds
 * rules, and the host's default {@code iptables} when neither holds more than the other.
 */
public enum IptablesVariant {
    NFT("iptables-nft"),
    LEGACY("iptables-legacy"),
    /** Whatever the host's {@code iptables} alternative points at. */
    DEFAULT("iptables");

    private static final Logger log = LoggerFactory.getLogger(IptablesVariant.class);
    private static final Duration DETECT_TIMEOUT = Duration.ofSeconds(30);

    private final String program;

    IptablesVariant(String program) {
        this.program = program;
    }

    /** iptables-save of one table only, so no other table's module is loaded or read. */
    List<String> save(String table) {
        return List.of(program + "-save", "-t", table);
    }

    List<String> restore() {
        return List.of(program + "-restore", "--noflush", "--wait=10");
    }

    List<String> restoreVersion() {
        return List.of(program + "-restore", "--version");
    }

    /** The restore that {@link RestoreStream} keeps running: its stdout line-buffered, so a barrier's line leaves at once. */
    public List<String> restoreStream() {
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL"));
        command.addAll(restore());
        return List.copyOf(command);
    }

    /**
     * The variant that holds more rules; {@link #DEFAULT} on a tie or when neither variant's own
     * programs are installed. Reads with a plain iptables-save, which lists only tables that
     * exist and so creates none.
     */
    public static IptablesVariant detect(CommandRunner runner) {
        long nft = rules(runner, NFT);
        long legacy = rules(runner, LEGACY);
        IptablesVariant chosen = legacy > nft && legacy > 0 ? LEGACY : nft > legacy ? NFT : DEFAULT;
        log.info("using {} (rules found: nf_tables {}, legacy {})", chosen.program,
                nft < 0 ? "not installed" : nft, legacy < 0 ? "not installed" : legacy);
        return chosen;
    }

    /** How many rules the variant's tables hold; -1 when its programs cannot be run. */
    private static long rules(CommandRunner runner, IptablesVariant variant) {
        try {
            CommandRunner.Completed run = runner.run(List.of(variant.program + "-save"), null, DETECT_TIMEOUT);
            return run.exitCode() != 0 ? -1 : run.stdout().lines().filter(line -> line.startsWith("-A ")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return program;
    }
}
