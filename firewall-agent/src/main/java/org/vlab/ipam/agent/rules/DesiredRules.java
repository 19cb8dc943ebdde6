package org.vlab.ipam.agent.rules;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything the agent wants in the kernel: per table, the rules of its entry chain (the jumps
 * into its block chains) and of its block chains, in order, and the one jump into the entry
 * chain, all written as iptables-save writes them ({@code -A <chain> ...}).
 */
public record DesiredRules(String natJump, List<Rule> natRules, String filterJump, List<Rule> filterRules) {

    public DesiredRules {
        natRules = List.copyOf(natRules);
        filterRules = List.copyOf(filterRules);
    }

    /** The rules of mappings in the agent's chains (the jumps into its chains not counted). */
    public int ruleCount() {
        return (int) (natRules.stream().filter(rule -> rule.connPort() != null).count()
                + filterRules.stream().filter(rule -> rule.connPort() != null).count());
    }

    public List<String> natLines() {
        return natRules.stream().map(Rule::text).toList();
    }

    public List<String> filterLines() {
        return filterRules.stream().map(Rule::text).toList();
    }

    public SortedSet<String> natBlocks() {
        return blockChains(natRules);
    }

    public SortedSet<String> filterBlocks() {
        return blockChains(filterRules);
    }

    /** The block chains {@code rules} are appended to ({@code -A <chain> ...} of a mapping). */
    static SortedSet<String> blockChains(List<Rule> rules) {
        SortedSet<String> chains = new TreeSet<>();
        for (Rule rule : rules) {
            if (rule.connPort() != null) {
                chains.add(BlockChains.chainOf(rule.text()));
            }
        }
        return chains;
    }
}
