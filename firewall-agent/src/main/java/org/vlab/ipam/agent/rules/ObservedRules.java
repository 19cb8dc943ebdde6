package org.vlab.ipam.agent.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;

/**
 * What the kernel holds of the agent's rules, as iptables-save shows it: per table, whether the
 * entry chain exists, which block chains exist, the rules of all of them, and the rules of
 * PREROUTING / FORWARD that jump into the entry chain. Everything else in the output is someone
 * else's and is ignored.
 */
public record ObservedRules(Table nat, Table filter) {

    /**
     * A DNAT rule as {@link RuleBuilder} writes it: the source network it is limited to, if any,
     * protocol, connection port, the comment naming that port, target address and port.
     */
    private static final Pattern DNAT = Pattern.compile("-A " + RuleBuilder.NAT_CHAIN
            + "(?:-\\d{1,5})?(?: -s ([0-9./]{9,18}))? -p (tcp|udp) -m \\2 --dport (\\d{1,5}) -m comment --comment \"?"
            + RuleBuilder.COMMENT + ":\\3\"? -j DNAT --to-destination ([0-9.]{7,15}):(\\d{1,5})");

    /** A kernel without any of the agent's chains or jumps. */
    public static final ObservedRules NOTHING = new ObservedRules(Table.EMPTY, Table.EMPTY);

    /**
     * One table's part: the entry chain's existence, every rule of the agent's chains (entry and
     * blocks, each line naming its chain), the hook's jumps into the entry chain, and the block
     * chains that exist, empty ones included.
     */
    public record Table(boolean chainExists, List<String> rules, List<String> jumps, Set<String> blocks) {

        static final Table EMPTY = new Table(false, List.of(), List.of(), Set.of());

        public Table {
            rules = List.copyOf(rules);
            jumps = List.copyOf(jumps);
            blocks = Set.copyOf(blocks);
        }

        /** A table whose block chains are those its rules are in. */
        public Table(boolean chainExists, List<String> rules, List<String> jumps) {
            this(chainExists, rules, jumps, chainsOf(rules));
        }

        boolean holds(String jump, List<String> wanted, Set<String> wantedBlocks) {
            return chainExists && blocks.equals(wantedBlocks) && sameRules(rules, wanted) && jumps.equals(List.of(jump));
        }

        private static Set<String> chainsOf(List<String> rules) {
            Set<String> chains = new TreeSet<>();
            for (String rule : rules) {
                String chain = BlockChains.chainOf(rule);
                if (BlockChains.isBlock(chain)) {
                    chains.add(chain);
                }
            }
            return chains;
        }
    }

    /** The comment that names a rule's mapping, as iptables-save prints it (quoted, since it holds a colon). */
    private static final Pattern MAPPING = Pattern.compile(" --comment \"?" + RuleBuilder.COMMENT + ":(\\d{1,5})\"? ");

    /**
     * Whether chains hold exactly the wanted rules: the same rules for each mapping, in the
     * same order within the mapping (log before accept). The order across mappings does not
     * matter, because their rules match disjoint connections, and a sync of changes appends a
     * new mapping's rules at the end of the chain while a full render orders them by port; nor
     * does the order of the jumps into the blocks, whose port ranges are disjoint.
     */
    static boolean sameRules(List<String> held, List<String> wanted) {
        return held.size() == wanted.size() && byMapping(held).equals(byMapping(wanted));
    }

    private static Map<String, List<String>> byMapping(List<String> rules) {
        Map<String, List<String>> grouped = new HashMap<>();
        for (String rule : rules) {
            Matcher mapping = MAPPING.matcher(rule);
            grouped.computeIfAbsent(mapping.find() ? mapping.group(1) : "", key -> new ArrayList<>()).add(rule);
        }
        grouped.computeIfPresent("", (key, jumps) -> jumps.stream().sorted().toList());
        return grouped;
    }

    public static ObservedRules parse(String iptablesSave) {
        SaveCollector nat = new SaveCollector(RuleBuilder.NAT_CHAIN, RuleBuilder.NAT_HOOK);
        SaveCollector filter = new SaveCollector(RuleBuilder.FILTER_CHAIN, RuleBuilder.FILTER_HOOK);
        SaveCollector current = null;
        for (String line : iptablesSave.split("\n")) {
            line = line.strip();
            if (line.startsWith("*")) {
                current = line.equals("*nat") ? nat : line.equals("*filter") ? filter : null;
            } else if (current != null) {
                current.accept(line);
            }
        }
        return new ObservedRules(nat.table(), filter.table());
    }

    /**
     * The forwardings the kernel's DNAT chain holds that {@code wanted} does not (removed, or
     * re-targeted: the old target): what a transaction to {@code wanted} stops forwarding. Lines
     * not in the builder's form (a hand edit) are skipped.
     */
    public List<ForwardedPort> forwardsNotIn(Collection<ForwardedPort> wanted) {
        // a set: a full sync passes every mapping, and a list's contains made this N squared
        Set<ForwardedPort> keep = new HashSet<>(wanted);
        List<ForwardedPort> gone = new ArrayList<>();
        for (ForwardedPort forward : dnatForwards()) {
            if (!keep.contains(forward)) {
                gone.add(forward);
            }
        }
        return gone;
    }

    /**
     * The forwardings the DNAT chain holds: a mapping's rules (one per allowed source network, or
     * one for every source) joined into one forwarding by connection port, protocol and target.
     */
    private List<ForwardedPort> dnatForwards() {
        Map<String, List<LabNetwork>> sources = new LinkedHashMap<>();
        Map<String, ForwardedPort> forwards = new LinkedHashMap<>();
        for (String rule : nat.rules()) {
            Matcher dnat = DNAT.matcher(rule);
            if (dnat.matches()) {
                try {
                    ForwardedPort forward = new ForwardedPort(ConnPort.of(Integer.parseInt(dnat.group(3))),
                            LabAddress.of(dnat.group(4)), TargetPort.of(Integer.parseInt(dnat.group(5))),
                            Protocol.of(dnat.group(2)), AllowedSources.ANY);
                    String key = forward.toString() + " " + (dnat.group(1) == null ? "any" : "limited");
                    forwards.putIfAbsent(key, forward);
                    List<LabNetwork> networks = sources.computeIfAbsent(key, ignored -> new ArrayList<>());
                    if (dnat.group(1) != null) {
                        LabNetwork network = LabNetwork.of(dnat.group(1));
                        if (!networks.contains(network) && networks.size() < AllowedSources.MAX) {
                            networks.add(network);
                        }
                    }
                } catch (IllegalArgumentException e) {
                    // not a forwarding the agent could have written; nothing of it to close
                }
            }
        }
        List<ForwardedPort> held = new ArrayList<>();
        forwards.forEach((key, forward) -> held.add(new ForwardedPort(forward.connPort(), forward.address(),
                forward.targetPort(), forward.protocol(), new AllowedSources(sources.get(key)))));
        return held;
    }

    /** Whether the kernel holds exactly the desired chains and exactly one jump into each. */
    public boolean matches(DesiredRules desired) {
        return nat.holds(desired.natJump(), desired.natLines(), desired.natBlocks())
                && filter.holds(desired.filterJump(), desired.filterLines(), desired.filterBlocks());
    }

    /** A short account of how the kernel differs from {@code desired}, for the log. */
    public String differenceFrom(DesiredRules desired) {
        List<String> differences = new ArrayList<>();
        describe("nat", nat, desired.natJump(), desired.natLines(), desired.natBlocks(), differences);
        describe("filter", filter, desired.filterJump(), desired.filterLines(), desired.filterBlocks(), differences);
        return differences.isEmpty() ? "none" : String.join("; ", differences);
    }

    private static void describe(String name, Table table, String jump, List<String> wanted, Set<String> blocks,
            List<String> out) {
        if (!table.chainExists()) {
            out.add(name + " chain missing");
        } else {
            blockDifference(name, table, blocks, out);
            ruleDifference(name, table, wanted, out);
        }
        if (!table.jumps().equals(List.of(jump))) {
            out.add(name + " has " + table.jumps().size() + " jumps into the chain, wanted exactly: " + jump);
        }
    }

    private static void blockDifference(String name, Table table, Set<String> blocks, List<String> out) {
        if (!table.blocks().equals(blocks)) {
            long missing = blocks.stream().filter(block -> !table.blocks().contains(block)).count();
            long unexpected = table.blocks().stream().filter(block -> !blocks.contains(block)).count();
            out.add(name + " has " + table.blocks().size() + " block chains, " + missing + " missing, " + unexpected
                    + " unexpected");
        }
    }

    private static void ruleDifference(String name, Table table, List<String> wanted, List<String> out) {
        if (!sameRules(table.rules(), wanted)) {
            Set<String> held = new HashSet<>(table.rules());
            Set<String> expected = new HashSet<>(wanted);
            long missing = wanted.stream().filter(rule -> !held.contains(rule)).count();
            long unexpected = table.rules().stream().filter(rule -> !expected.contains(rule)).count();
            out.add(name + " chains hold " + table.rules().size() + " rules, " + missing + " missing, " + unexpected
                    + " unexpected");
        }
    }
}
