package org.vlab.ipam.agent.nftables;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.Rule;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.ConnPort;

/**
 * Renders the agent's nftables table as {@code nft -f} input, pure and deterministic. The table
 * {@value #TABLE} holds the map {@value #DNAT_MAP} from connection port to target address and
 * port (one DNAT rule looks every new connection up in it), the set {@value #FORWARDS} of
 * (connection port, target address, target port) whose DNAT'd flows the forward chain accepts
 * and marks with {@value #ACCEPT_MARK}, and the verdict map {@value #LOG_BLOCKS} from a block of
 * connection ports to its log chain ({@link NftLogBlocks}). A packet's cost is a few lookups and
 * at most a block's log rules, whatever the number of mappings.
 * <p>
 * A mapping's change is elements and at most its one log rule (a block's first mapping adds the
 * block's chain too). Every element and rule of a mapping carries a comment naming it. udp
 * mappings and mappings limited to source networks take the further structures of
 * {@link NftExtendedMappings}, written only when such a mapping exists, so a table of tcp
 * mappings for every source reads exactly as before those existed.
 */
public final class NftRenderer {

    public static final String TABLE = "vlab_ipam";
    static final String DNAT_MAP = "dnat_targets";
    static final String FORWARDS = "forwards";
    static final String LOG_BLOCKS = "log_blocks";
    static final String COMMENT = "vlab-ipam";
    /** The packet mark bit the forward chain sets on what it accepts, for a host rule in a DROP policy to accept too. */
    public static final String ACCEPT_MARK = "0x00100000";
    /** One below the priorities iptables-nft uses, so the agent's chains run first, as its iptables jumps do. */
    static final String NAT_PRIORITY = "dstnat - 1";
    static final String FILTER_PRIORITY = "filter - 1";
    private static final String PREFIX = " ip " + TABLE + " ";

    private final RuleOptions options;
    private final NftExtendedMappings extended;
    private final NftLogBlocks logBlocks;

    public NftRenderer(RuleOptions options) {
        this.options = options;
        this.extended = new NftExtendedMappings(options, options.logTarget() != LogTarget.NONE);
        this.logBlocks = new NftLogBlocks(options);
    }

    /** The whole table, replacing whatever the table held in the same transaction. */
    public RestoreScript fullScript(Collection<ForwardedPort> ports) {
        List<Rule> lines = new ArrayList<>();
        fixed("add table ip " + TABLE, lines);
        fixed("delete table ip " + TABLE, lines);
        fixed("add table ip " + TABLE, lines);
        fixed("add map" + PREFIX + DNAT_MAP + " { type inet_service : ipv4_addr . inet_service; }", lines);
        fixed("add set" + PREFIX + FORWARDS + " { type inet_service . ipv4_addr . inet_service; }", lines);
        fixed("add map" + PREFIX + LOG_BLOCKS + " { type inet_service : verdict; }", lines);
        fixed("add chain" + PREFIX + "prerouting { type nat hook prerouting priority " + NAT_PRIORITY
                + "; policy accept; }", lines);
        fixed("add chain" + PREFIX + "forward { type filter hook forward priority " + FILTER_PRIORITY
                + "; policy accept; }", lines);
        fixed("add chain" + PREFIX + "mapped", lines);
        fixed("add rule" + PREFIX + "prerouting " + wan() + " fib daddr type local"
                + " dnat ip addr . port to tcp dport map @" + DNAT_MAP + comment(COMMENT), lines);
        fixed("add rule" + PREFIX + "forward " + wan() + " ct status dnat meta l4proto tcp"
                + " ct original proto-dst . ip daddr . tcp dport @" + FORWARDS + " jump mapped" + comment(COMMENT), lines);
        if (logs()) {
            fixed("add rule" + PREFIX + "mapped ct state new meta l4proto tcp " + NftLogBlocks.BLOCK_OF + " vmap @"
                    + LOG_BLOCKS + comment(COMMENT), lines);
        }
        fixed("add rule" + PREFIX + "mapped meta mark set meta mark | " + ACCEPT_MARK + " accept" + comment(COMMENT),
                lines);
        List<ForwardedPort> ordered = byConnPort(ports);
        if (ordered.stream().anyMatch(NftExtendedMappings::needs)) {
            lines.addAll(extended.structures());
        }
        if (logs()) {
            NftLogBlocks.blocksOf(ordered).forEach(block -> lines.addAll(NftLogBlocks.opening(block)));
        }
        ordered.forEach(port -> lines.addAll(opening(port)));
        return new RestoreScript(lines);
    }

    /**
     * The elements of each {@code closed} forwarding deleted, and those of each {@code opened} one
     * added, in one transaction: an element not there fails all of it, and the agent falls back
     * to a full sync. Deletions come first, so a re-targeted port is replaced. {@code logged}:
     * the log rules the kernel holds. A closed mapping's log rule stays (it matches nothing
     * without the mapping's elements, and nft deletes a rule by handle only, which costs a
     * listing of the whole table to learn), so an opened mapping adds its log rule only when
     * its port never had one for its protocol, and opens its block's chain only when the block
     * has none yet. A full script writes only the wanted mappings' rules. The structures of udp
     * and source-limited mappings are written when an opened mapping needs them, unless
     * {@code structuresHeld} (the table holds them): their fixed rules make nf_tables validate
     * the whole table at the commit.
     */
    public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
            Set<NftLogRule> logged, boolean structuresHeld) {
        List<ForwardedPort> added = byConnPort(opened);
        List<Rule> lines = new ArrayList<>();
        byConnPort(closed).forEach(port -> lines.addAll(closing(port)));
        if (!structuresHeld && added.stream().anyMatch(NftExtendedMappings::needs)) {
            lines.addAll(extended.structures());
        }
        Set<Integer> blocks = new HashSet<>();
        for (ForwardedPort port : added) {
            ConnPort conn = port.connPort();
            if (logs() && !logged.contains(new NftLogRule(conn, port.protocol()))) {
                int block = NftLogBlocks.blockOf(conn);
                if (!NftLogBlocks.hasBlock(logged, block) && blocks.add(block)) {
                    lines.addAll(NftLogBlocks.opening(block));
                }
                lines.add(logBlocks.logRule(port));
            }
            lines.addAll(elements(port));
        }
        return new RestoreScript(lines);
    }

    /** Elements and rules each mapping takes: the DNAT and accept elements, and the log rule. */
    public int rulesPerMapping() {
        return logs() ? 3 : 2;
    }

    /** A mapping's lines, the log first and the DNAT last, so its connections are accepted once they are rewritten. */
    private List<Rule> opening(ForwardedPort port) {
        List<Rule> lines = new ArrayList<>();
        if (logs()) {
            lines.add(logBlocks.logRule(port));
        }
        lines.addAll(elements(port));
        return lines;
    }

    private List<Rule> elements(ForwardedPort port) {
        ConnPort conn = port.connPort();
        if (NftExtendedMappings.needs(port)) {
            return extended.opening(port);
        }
        return List.of(new Rule("add element" + PREFIX + FORWARDS + " { " + forward(port) + comment(mapping(conn)) + " }",
                conn), new Rule("add element" + PREFIX + DNAT_MAP + " { " + conn.value() + comment(mapping(conn)) + " : "
                + port.address() + " . " + port.targetPort().value() + " }", conn));
    }

    private List<Rule> closing(ForwardedPort port) {
        ConnPort conn = port.connPort();
        List<Rule> lines = new ArrayList<>();
        if (NftExtendedMappings.needs(port)) {
            lines.addAll(extended.closing(port));
        } else {
            lines.add(new Rule("delete element" + PREFIX + DNAT_MAP + " { " + conn.value() + " }", conn));
            lines.add(new Rule("delete element" + PREFIX + FORWARDS + " { " + forward(port) + " }", conn));
        }
        return lines;
    }

    RuleOptions options() {
        return options;
    }

    private boolean logs() {
        return options.logTarget() != LogTarget.NONE;
    }

    static String mapping(ConnPort conn) {
        return COMMENT + ":" + conn.value();
    }

    private String wan() {
        return "iifname \"" + options.wanInterface().value() + "\"";
    }

    static String forward(ForwardedPort port) {
        return port.connPort().value() + " . " + port.address() + " . " + port.targetPort().value();
    }

    static String comment(String text) {
        return " comment \"" + text + "\"";
    }

    private static void fixed(String line, List<Rule> lines) {
        lines.add(new Rule(line, null));
    }

    private static List<ForwardedPort> byConnPort(Collection<ForwardedPort> ports) {
        List<ForwardedPort> ordered = ports.stream().sorted(Comparator.comparing(ForwardedPort::connPort)).toList();
        for (int i = 1; i < ordered.size(); i++) {
            if (ordered.get(i).connPort().equals(ordered.get(i - 1).connPort())) {
                throw new IllegalArgumentException("two mappings for connection port " + ordered.get(i).connPort());
            }
        }
        return ordered;
    }
}
