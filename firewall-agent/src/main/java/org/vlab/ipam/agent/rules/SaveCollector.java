package org.vlab.ipam.agent.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects one table's part of the agent's rules from iptables-save lines: the entry chain's
 * existence, its block chains (empty ones too), the rules of both, and the hook's jumps into
 * the entry chain; any other line is someone else's and is skipped.
 */
final class SaveCollector {

    private final String chain;
    private final String chainLine;
    private final String rulePrefix;
    private final String blockLine;
    private final String blockRulePrefix;
    private final String hookPrefix;
    private final String jumpSuffix;
    private boolean chainExists;
    private final List<String> rules = new ArrayList<>();
    private final List<String> jumps = new ArrayList<>();
    private final Set<String> blocks = new TreeSet<>();

    SaveCollector(String chain, String hook) {
        this.chain = chain;
        this.chainLine = ":" + chain + " ";
        this.rulePrefix = "-A " + chain + " ";
        this.blockLine = ":" + chain + "-";
        this.blockRulePrefix = "-A " + chain + "-";
        this.hookPrefix = "-A " + hook + " ";
        // a jump has no target options, so "-j <chain>" ends its line (a comment cannot: it precedes -j)
        this.jumpSuffix = " -j " + chain;
    }

    void accept(String line) {
        if (line.startsWith(chainLine)) {
            chainExists = true;
        } else if (line.startsWith(rulePrefix)) {
            rules.add(line);
        } else if (line.startsWith(blockLine)) {
            blockName(line, 1).ifPresent(blocks::add);
        } else if (line.startsWith(blockRulePrefix)) {
            if (blockName(line, 3).isPresent()) {
                rules.add(line);
            }
        } else if (line.startsWith(hookPrefix) && line.endsWith(jumpSuffix)) {
            jumps.add(line);
        }
    }

    /** The block chain named from {@code start} to the next space, if it is one of this entry chain's. */
    private Optional<String> blockName(String line, int start) {
        int end = line.indexOf(' ', start);
        String name = end < 0 ? line.substring(start) : line.substring(start, end);
        return BlockChains.isBlock(chain, name) ? Optional.of(name) : Optional.empty();
    }

    ObservedRules.Table table() {
        return new ObservedRules.Table(chainExists, rules, jumps, blocks);
    }
}
