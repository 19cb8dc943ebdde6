package org.vlab.ipam.agent.rules;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Protocol;

/**
 * The block chains mappings live in: {@value #SIZE} connection ports each, named after the
 * entry chain and the block's first port ({@code VLAB-IPAM-DNAT-50000} holds 50000–50099), and
 * the entry chains' jumps into them, for the block's ports only.
 */
final class BlockChains {

    static final int SIZE = 100;
    private static final int LAST_PORT = 65535;

    private BlockChains() {
    }

    /** The first connection port of {@code port}'s block. */
    static int blockOf(ConnPort port) {
        return port.value() / SIZE * SIZE;
    }

    /** The block's last connection port. */
    static int last(int block) {
        return Math.min(block + SIZE - 1, LAST_PORT);
    }

    /** The block chain of {@code entry} ({@link RuleBuilder#NAT_CHAIN} or {@link RuleBuilder#FILTER_CHAIN}). */
    static String chain(String entry, int block) {
        return entry + "-" + block;
    }

    /** Whether {@code name} is a block chain of {@code entry}: the entry chain's name, '-', up to five digits. */
    static boolean isBlock(String entry, String name) {
        if (name.length() <= entry.length() + 1 || !name.startsWith(entry + "-")) {
            return false;
        }
        String suffix = name.substring(entry.length() + 1);
        return suffix.length() <= 5 && suffix.chars().allMatch(Character::isDigit);
    }

    /** Whether {@code name} is a block chain of either entry chain. */
    static boolean isBlock(String name) {
        return isBlock(RuleBuilder.NAT_CHAIN, name) || isBlock(RuleBuilder.FILTER_CHAIN, name);
    }

    /** The chain an {@code -A <chain> ...} line appends to. */
    static String chainOf(String rule) {
        int end = rule.indexOf(' ', 3);
        return end < 0 ? rule.substring(3) : rule.substring(3, end);
    }

    /** The blocks {@code ports} fall in, in order. */
    static SortedSet<Integer> of(Collection<ForwardedPort> ports) {
        SortedSet<Integer> blocks = new TreeSet<>();
        ports.forEach(port -> blocks.add(blockOf(port.connPort())));
        return blocks;
    }

    /** nat's jumps into a block: one per protocol, for the block's connection ports only. */
    static List<Rule> natJumps(int block) {
        return Arrays.stream(Protocol.values())
                .map(protocol -> new Rule("-A " + RuleBuilder.NAT_CHAIN + " -p " + protocol.wire() + " -m "
                        + protocol.wire() + " --dport " + range(block) + " -m comment --comment " + RuleBuilder.COMMENT
                        + " -j " + chain(RuleBuilder.NAT_CHAIN, block), null))
                .toList();
    }

    /** filter's jump into a block: for connections whose original destination port is in its range. */
    static Rule filterJump(int block) {
        return new Rule("-A " + RuleBuilder.FILTER_CHAIN + " -m conntrack --ctorigdstport " + range(block)
                + " -m comment --comment " + RuleBuilder.COMMENT + " -j " + chain(RuleBuilder.FILTER_CHAIN, block), null);
    }

    /** The block's port range as iptables prints it: {@code first:last}. */
    private static String range(int block) {
        return block + ":" + last(block);
    }
}
