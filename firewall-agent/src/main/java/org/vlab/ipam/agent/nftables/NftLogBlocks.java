package org.vlab.ipam.agent.nftables;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.Rule;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LogPrefix;
import org.vlab.ipam.domain.Protocol;

/**
 * The log rules of the agent's table, in one chain per block of {@value #BLOCK_SIZE} connection
 * ports that the verdict map {@value NftRenderer#LOG_BLOCKS} jumps to: each mapping's rule in
 * its block's chain matches its protocol and connection port, rate-limited, prefixed with the
 * connection port as the iptables log rules are, so a packet meets at most {@value #BLOCK_SIZE}
 * rules whatever the number of mappings. Blocks rather than a chain per mapping because
 * nf_tables validates the whole table at a commit that adds a jump (a per-mapping log chain
 * took 1.3 ms at 1,000 mappings and 3.1 ms at 4,000, against 0.6–0.7 ms for a rule in a
 * block): only a block's first mapping adds one (its chain and map element).
 */
final class NftLogBlocks {

    /** Connection ports per log chain: a power of two, so a port's block is the port masked, one lookup away. */
    static final int BLOCK_SIZE = 32;
    /** A connection port's block: the port with its low bits cleared, {@code & 0xffe0}. */
    static final String BLOCK_OF = "ct original proto-dst & 0x" + Integer.toHexString(0xffff & -BLOCK_SIZE);
    private static final String PREFIX = " ip " + NftRenderer.TABLE + " ";

    private final RuleOptions options;

    NftLogBlocks(RuleOptions options) {
        this.options = options;
    }

    /** The first connection port of {@code port}'s log block. */
    static int blockOf(ConnPort port) {
        return port.value() / BLOCK_SIZE * BLOCK_SIZE;
    }

    /** The log chain of the block starting at {@code block}. */
    static String logChain(int block) {
        return "logs_" + block;
    }

    /** The blocks {@code ports} fall in, in order. */
    static SortedSet<Integer> blocksOf(Collection<ForwardedPort> ports) {
        SortedSet<Integer> blocks = new TreeSet<>();
        ports.forEach(port -> blocks.add(blockOf(port.connPort())));
        return blocks;
    }

    /** Whether {@code logged} holds a log rule of a port in the block starting at {@code block}: its chain is there. */
    static boolean hasBlock(Set<NftLogRule> logged, int block) {
        for (int value = Math.max(block, 1); value < block + BLOCK_SIZE && value <= 65535; value++) {
            for (Protocol protocol : Protocol.values()) {
                if (logged.contains(new NftLogRule(ConnPort.of(value), protocol))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A block's log chain, declared and looked up. */
    static List<Rule> opening(int block) {
        return List.of(new Rule("add chain" + PREFIX + logChain(block), null),
                new Rule("add element" + PREFIX + NftRenderer.LOG_BLOCKS + " { " + block + " : jump " + logChain(block)
                        + " }", null));
    }

    /** A mapping's log rule in its block's chain: its connection port, rate-limited, logged with its prefix. */
    Rule logRule(ForwardedPort port) {
        ConnPort conn = port.connPort();
        return new Rule("add rule" + PREFIX + logChain(blockOf(conn)) + " meta l4proto " + port.protocol().wire()
                + " ct original proto-dst " + conn.value() + " limit rate " + options.logRatePerSecond()
                + "/second burst " + options.logBurst() + " packets " + logStatement(conn)
                + NftRenderer.comment(NftRenderer.mapping(conn)), conn);
    }

    /** The log statement, the same prefix text as the iptables rules: NFLOG to a group, or LOG with a trailing space. */
    private String logStatement(ConnPort conn) {
        String prefix = LogPrefix.forMapping(conn);
        return options.logTarget() == LogTarget.LOG ? "log prefix \"" + prefix + " \""
                : "log prefix \"" + prefix + "\" group " + options.nflogGroup();
    }
}
