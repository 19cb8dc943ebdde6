package org.vlab.ipam.agent.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.function.Predicate;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LogPrefix;

/**
 * Renders the agent's whole rule set, pure and deterministic: the same mappings and options
 * always give the same text, rules ordered by connection port. Mappings live in block chains
 * of 100 connection ports each ({@link BlockChains}: {@code VLAB-IPAM-DNAT-50000} holds
 * 50000–50099), and the two entry chains jump into a block only for its port range, for two
 * reasons: iptables-nft reads the whole chain a rule is appended to or deleted from, and a
 * packet walks the jumps and one block instead of every mapping. Per mapping, nat's block chain
 * DNATs the connection port of the mapping's protocol (tcp or udp) to the target, with one rule
 * per allowed source network ({@code -s}) when the sources are limited; filter's block chain
 * logs the mapping's new connections (udp: new conntrack flows; rate-limited, prefixed with the
 * connection port) and accepts them. The accept needs no source match: a connection carries
 * the mapping's original destination port after DNAT only if an allowed source opened it. The
 * jump into the nat chain takes only packets addressed to the gateway, the jump into the
 * filter chain only DNAT'd connections. Every rule carries a comment naming its mapping, and
 * every value in it is a validated domain value or a constant.
 */
public final class RuleBuilder {

    public static final String NAT_CHAIN = "VLAB-IPAM-DNAT";
    public static final String FILTER_CHAIN = "VLAB-IPAM-FWD";
    static final String NAT_HOOK = "PREROUTING";
    static final String FILTER_HOOK = "FORWARD";
    /** The comment of the two jump rules; mapping rules add their connection port. */
    static final String COMMENT = "vlab-ipam";
    /**
     * Only packets addressed to the gateway itself enter the DNAT chain: a connection the
     * gateway merely routes (to a lab host, or onwards) is never rewritten by a mapping.
     */
    static final String TO_GATEWAY = "-m addrtype --dst-type LOCAL";
    /** Only connections some DNAT rewrote enter the filter chain: ordinary forwarding never walks the mappings. */
    static final String DNATED = "-m conntrack --ctstate DNAT";
    /** iptables' default burst, which iptables-save leaves out. */
    private static final int DEFAULT_BURST = 5;

    private final RuleOptions options;

    public RuleBuilder(RuleOptions options) {
        this.options = options;
    }

    public DesiredRules build(Collection<ForwardedPort> ports) {
        List<ForwardedPort> ordered = new ArrayList<>(ports);
        ordered.sort(Comparator.comparing(ForwardedPort::connPort));
        for (int i = 1; i < ordered.size(); i++) {
            if (ordered.get(i).connPort().equals(ordered.get(i - 1).connPort())) {
                throw new IllegalArgumentException("two mappings for connection port " + ordered.get(i).connPort());
            }
        }
        List<Rule> nat = new ArrayList<>();
        List<Rule> filter = new ArrayList<>();
        for (int block : BlockChains.of(ordered)) {
            nat.addAll(BlockChains.natJumps(block));
            filter.add(BlockChains.filterJump(block));
        }
        for (ForwardedPort port : ordered) {
            nat.addAll(dnat(port));
            filter.addAll(filterRules(port));
        }
        return new DesiredRules(jump(NAT_HOOK, TO_GATEWAY, NAT_CHAIN), nat, jump(FILTER_HOOK, DNATED, FILTER_CHAIN),
                filter);
    }

    /** The rules each mapping has in the two chains together. */
    public int rulesPerMapping() {
        return options.logTarget() == LogTarget.NONE ? 2 : 3;
    }

    /**
     * The restore input of a sync of changes, for a kernel that holds what the last transaction
     * left ({@code heldBefore}: whether it holds a mapping on a port): the rules of each
     * {@code closed} forwarding are deleted by their exact text (a rule not there fails the whole
     * transaction, and the agent falls back to a full sync), and those of each {@code opened} one
     * are appended. A block that gets its first mapping is declared and jumped to first; one that
     * loses its last has its jumps deleted and goes. Rules of different mappings match disjoint
     * connections, so their order across mappings does not matter; within a mapping the log rule
     * still precedes the accept. Both lists are written ordered by connection port.
     */
    public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
            Predicate<ConnPort> heldBefore) {
        List<ForwardedPort> gone = byConnPort(closed);
        List<ForwardedPort> added = byConnPort(opened);
        BlockChanges blocks = BlockChanges.of(gone, added, heldBefore);
        List<Rule> lines = new ArrayList<>();
        lines.add(new Rule("*nat", null));
        blocks.opened().forEach(block -> lines.add(declaration(BlockChains.chain(NAT_CHAIN, block))));
        blocks.opened().forEach(block -> lines.addAll(BlockChains.natJumps(block)));
        gone.forEach(port -> dnat(port).forEach(rule -> lines.add(deletion(rule))));
        added.forEach(port -> lines.addAll(dnat(port)));
        blocks.closed().forEach(block -> {
            BlockChains.natJumps(block).forEach(jump -> lines.add(deletion(jump)));
            lines.add(new Rule("-X " + BlockChains.chain(NAT_CHAIN, block), null));
        });
        lines.add(new Rule("COMMIT", null));
        lines.add(new Rule("*filter", null));
        blocks.opened().forEach(block -> lines.add(declaration(BlockChains.chain(FILTER_CHAIN, block))));
        blocks.opened().forEach(block -> lines.add(BlockChains.filterJump(block)));
        gone.forEach(port -> filterRules(port).forEach(rule -> lines.add(deletion(rule))));
        added.forEach(port -> lines.addAll(filterRules(port)));
        blocks.closed().forEach(block -> {
            lines.add(deletion(BlockChains.filterJump(block)));
            lines.add(new Rule("-X " + BlockChains.chain(FILTER_CHAIN, block), null));
        });
        lines.add(new Rule("COMMIT", null));
        return new RestoreScript(lines);
    }

    private static Rule declaration(String chain) {
        return new Rule(":" + chain + " - [0:0]", null);
    }

    private static List<ForwardedPort> byConnPort(Collection<ForwardedPort> ports) {
        return ports.stream().sorted(Comparator.comparing(ForwardedPort::connPort)).toList();
    }

    /** The same rule as a deletion by its exact text ({@code -A chain spec} becomes {@code -D chain spec}). */
    private static Rule deletion(Rule rule) {
        return new Rule("-D" + rule.text().substring(2), rule.connPort());
    }

    private List<Rule> filterRules(ForwardedPort port) {
        return options.logTarget() == LogTarget.NONE ? List.of(accept(port)) : List.of(log(port), accept(port));
    }

    /**
     * The restore input that turns what the kernel holds ({@code observed}) into {@code desired}:
     * each chain, entry and block, is declared, which with {@code --noflush} creates or empties
     * it and nothing else; a block chain no longer wanted is emptied and deleted; stray or
     * duplicate jumps into the entry chain are deleted, and a missing jump is inserted first.
     * Rules of other chains are never named, so they are never touched.
     */
    public RestoreScript restoreScript(DesiredRules desired, ObservedRules observed) {
        List<Rule> lines = new ArrayList<>();
        table(lines, "nat", NAT_CHAIN, NAT_HOOK, desired.natJump(), observed.nat(), desired.natRules());
        table(lines, "filter", FILTER_CHAIN, FILTER_HOOK, desired.filterJump(), observed.filter(),
                desired.filterRules());
        return new RestoreScript(lines);
    }

    private static void table(List<Rule> lines, String table, String chain, String hook, String jump,
            ObservedRules.Table observed, List<Rule> rules) {
        lines.add(new Rule("*" + table, null));
        lines.add(declaration(chain));
        SortedSet<String> blocks = DesiredRules.blockChains(rules);
        blocks.forEach(block -> lines.add(declaration(block)));
        observed.blocks().stream().filter(block -> !blocks.contains(block)).sorted().forEach(stale -> {
            lines.add(new Rule("-F " + stale, null));
            lines.add(new Rule("-X " + stale, null));
        });
        boolean kept = false;
        for (String held : observed.jumps()) {
            if (!kept && held.equals(jump)) {
                kept = true;
            } else {
                lines.add(new Rule("-D" + held.substring(2), null));
            }
        }
        if (!kept) {
            lines.add(new Rule("-I " + hook + " 1" + jump.substring(("-A " + hook).length()), null));
        }
        lines.addAll(rules);
        lines.add(new Rule("COMMIT", null));
    }

    private String jump(String hook, String condition, String chain) {
        return "-A " + hook + " -i " + options.wanInterface().value() + " " + condition + " -m comment --comment "
                + SaveFormat.quoted(COMMENT) + " -j " + chain;
    }

    /**
     * A mapping's DNAT: one rule, or with allowed sources one rule per source network ({@code -s},
     * in the forwarding's order), so a packet from anywhere else is not rewritten and, addressed
     * to the gateway itself, meets the gateway's own rules as any unmapped port does.
     */
    private static List<Rule> dnat(ForwardedPort port) {
        String natChain = BlockChains.chain(NAT_CHAIN, BlockChains.blockOf(port.connPort()));
        String rest = " -p " + port.protocol().wire() + " -m " + port.protocol().wire() + " --dport "
                + port.connPort().value() + comment(port.connPort()) + " -j DNAT --to-destination " + port.address() + ":"
                + port.targetPort().value();
        if (port.sources().isAny()) {
            return List.of(new Rule("-A " + natChain + rest, port.connPort()));
        }
        return port.networks().stream()
                .map(network -> new Rule("-A " + natChain + " -s " + network + rest, port.connPort())).toList();
    }

    private Rule log(ForwardedPort port) {
        String prefix = LogPrefix.forMapping(port.connPort());
        String target = options.logTarget() == LogTarget.LOG
                ? " -j LOG --log-prefix " + SaveFormat.quoted(prefix + " ")
                : " -j NFLOG --nflog-prefix " + SaveFormat.quoted(prefix)
                        + (options.nflogGroup() == 0 ? "" : " --nflog-group " + options.nflogGroup());
        String burst = options.logBurst() == DEFAULT_BURST ? "" : " --limit-burst " + options.logBurst();
        return new Rule(toTarget(port) + " -m conntrack --ctstate NEW --ctorigdstport " + port.connPort().value()
                + " -m limit --limit " + SaveFormat.rate(options.logRatePerSecond()) + burst + comment(port.connPort())
                + target, port.connPort());
    }

    private static Rule accept(ForwardedPort port) {
        return new Rule(toTarget(port) + " -m conntrack --ctstate DNAT --ctorigdstport " + port.connPort().value()
                + comment(port.connPort()) + " -j ACCEPT", port.connPort());
    }

    private static String toTarget(ForwardedPort port) {
        String protocol = port.protocol().wire();
        return "-A " + BlockChains.chain(FILTER_CHAIN, BlockChains.blockOf(port.connPort())) + " -d " + port.address()
                + "/32 -p " + protocol + " -m " + protocol + " --dport "
                + port.targetPort().value();
    }

    private static String comment(ConnPort port) {
        return " -m comment --comment " + SaveFormat.quoted(COMMENT + ":" + port.value());
    }
}
