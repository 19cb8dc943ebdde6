package org.vlab.ipam.agent.rules;

import java.util.List;

/**
 * Everything the agent wants in the kernel: the rules of its two chains, in order, and the
 * one jump into each chain, all written as iptables-save writes them ({@code -A <chain> ...}).
 */
public record DesiredRules(String natJump, List<Rule> natRules, String filterJump, List<Rule> filterRules) {

    public DesiredRules {
        natRules = List.copyOf(natRules);
        filterRules = List.copyOf(filterRules);
    }

    /** The rules in the agent's chains (the two jumps not counted). */
    public int ruleCount() {
        return natRules.size() + filterRules.size();
    }

    public List<String> natLines() {
        return natRules.stream().map(Rule::text).toList();
    }

    public List<String> filterLines() {
        return filterRules.stream().map(Rule::text).toList();
    }
}
