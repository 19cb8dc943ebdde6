package org.vlab.ipam.agent.nftables;

import java.util.ArrayList;
import java.util.List;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.Rule;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.Protocol;

/**
 * The part of the agent's table that udp mappings and mappings limited to source networks
 * need, beside the tcp-for-everyone structures {@link NftRenderer} always writes (whose text
 * stays as it was, so a table of such mappings alone is unchanged).
 * <p>
 * DNAT: a udp mapping for every source is one element of the map {@value #UDP_DNAT_MAP}, from
 * connection port to target, as a tcp one is of {@code dnat_targets}. A mapping limited to source
 * networks (tcp or udp) has a chain of its own, {@code dnat_<port>}, with one DNAT rule per
 * allowed network ({@code ip saddr <net>}), which the verdict map {@value #DNAT_CHAINS}, keyed by
 * {@code meta l4proto . th dport}, jumps to. A packet from elsewhere falls through undNAT'd and,
 * addressed to the gateway itself, meets the gateway's own rules as any unmapped port does. One
 * rule per network rather than an anonymous interval set, because nft merges overlapping or
 * adjacent intervals and the table would no longer read back as written; at most 16 rules, in
 * the mapping's own chain only.
 * <p>
 * Forward: a tcp mapping's accept element goes into the same {@code forwards} set as every tcp
 * mapping's (sources are enforced at DNAT: only an allowed source's connection is DNAT'd to the
 * port); a udp mapping's into {@value #UDP_FORWARDS}, which its own base chain looks up before
 * it jumps to {@value #MAPPED_UDP}: that logs the flow's first packet through the same
 * {@code log_blocks} map and goes on to the shared mark-and-accept chain.
 * <p>
 * Per packet that is one hash lookup per hook whatever the number of mappings, plus the at
 * most 16 source rules of the one mapping looked up. Per change, nf_tables validates the whole
 * table at a commit that adds a jump or a rule with a DNAT: a udp mapping for every source adds
 * neither (two elements, and its log rule), so its cost does not grow with the number of
 * mappings, where a source-limited one adds its chain and jump. The structures are written by
 * every full script that has such a mapping, and by a change that opens one when the table
 * lacks them ({@code add} of an existing map or chain changes nothing, and each rule is written
 * after a {@code flush} of its chain, so writing them again never doubles a rule).
 */
final class NftExtendedMappings {

    static final String DNAT_CHAINS = "dnat_chains";
    static final String UDP_DNAT_MAP = "udp_dnat_targets";
    static final String UDP_FORWARDS = "udp_forwards";
    static final String PREROUTING = "prerouting_ext";
    static final String FORWARD_UDP = "forward_udp";
    static final String MAPPED_UDP = "mapped_udp";
    private static final String PREFIX = " ip " + NftRenderer.TABLE + " ";

    private final RuleOptions options;
    private final boolean logs;

    NftExtendedMappings(RuleOptions options, boolean logs) {
        this.options = options;
        this.logs = logs;
    }

    /** Whether a forwarding needs these structures: anything but tcp for every source. */
    static boolean needs(ForwardedPort port) {
        return !port.isPlainTcp();
    }

    /** Whether a forwarding has a DNAT chain of its own: one limited to source networks. */
    static boolean hasDnatChain(ForwardedPort port) {
        return !port.sources().isAny();
    }

    /** The first line of {@link #structures()}: a script holding it writes them all. */
    static String structuresFirstLine() {
        return "add map" + PREFIX + DNAT_CHAINS + " { type inet_proto . inet_service : verdict; }";
    }

    /** The maps, base chains and fixed rules, safe to write again into a table that holds them. */
    List<Rule> structures() {
        String wan = "iifname \"" + options.wanInterface().value() + "\"";
        List<Rule> lines = new ArrayList<>();
        fixed(structuresFirstLine(), lines);
        fixed("add map" + PREFIX + UDP_DNAT_MAP + " { type inet_service : ipv4_addr . inet_service; }", lines);
        fixed("add set" + PREFIX + UDP_FORWARDS + " { type inet_service . ipv4_addr . inet_service; }", lines);
        fixed("add chain" + PREFIX + PREROUTING + " { type nat hook prerouting priority " + NftRenderer.NAT_PRIORITY
                + "; policy accept; }", lines);
        fixed("flush chain" + PREFIX + PREROUTING, lines);
        fixed("add rule" + PREFIX + PREROUTING + " " + wan + " fib daddr type local meta l4proto { tcp, udp }"
                + " meta l4proto . th dport vmap @" + DNAT_CHAINS + comment(NftRenderer.COMMENT), lines);
        fixed("add rule" + PREFIX + PREROUTING + " " + wan + " fib daddr type local"
                + " dnat ip addr . port to udp dport map @" + UDP_DNAT_MAP + comment(NftRenderer.COMMENT), lines);
        fixed("add chain" + PREFIX + MAPPED_UDP, lines);
        fixed("flush chain" + PREFIX + MAPPED_UDP, lines);
        if (logs) {
            fixed("add rule" + PREFIX + MAPPED_UDP + " ct state new meta l4proto udp " + NftLogBlocks.BLOCK_OF
                    + " vmap @" + NftRenderer.LOG_BLOCKS + comment(NftRenderer.COMMENT), lines);
        }
        fixed("add rule" + PREFIX + MAPPED_UDP + " goto mapped" + comment(NftRenderer.COMMENT), lines);
        fixed("add chain" + PREFIX + FORWARD_UDP + " { type filter hook forward priority "
                + NftRenderer.FILTER_PRIORITY + "; policy accept; }", lines);
        fixed("flush chain" + PREFIX + FORWARD_UDP, lines);
        fixed("add rule" + PREFIX + FORWARD_UDP + " " + wan + " ct status dnat meta l4proto udp"
                + " ct original proto-dst . ip daddr . udp dport @" + UDP_FORWARDS + " jump " + MAPPED_UDP
                + comment(NftRenderer.COMMENT), lines);
        return lines;
    }

    /**
     * The accept element, then the DNAT element (udp for every source) or the DNAT chain with its
     * rules and jump element: the DNAT last.
     */
    List<Rule> opening(ForwardedPort port) {
        ConnPort conn = port.connPort();
        String mapping = comment(NftRenderer.mapping(conn));
        List<Rule> lines = new ArrayList<>();
        lines.add(new Rule("add element" + PREFIX + forwardsOf(port) + " { " + NftRenderer.forward(port) + mapping
                + " }", conn));
        if (!hasDnatChain(port)) {
            lines.add(new Rule("add element" + PREFIX + UDP_DNAT_MAP + " { " + conn.value() + mapping + " : "
                    + port.address() + " . " + port.targetPort().value() + " }", conn));
            return lines;
        }
        lines.add(new Rule("add chain" + PREFIX + dnatChain(conn), conn));
        String to = " dnat to " + port.address() + ":" + port.targetPort().value() + mapping;
        String protocol = " meta l4proto " + port.protocol().wire();
        for (LabNetwork network : port.networks()) {
            lines.add(new Rule("add rule" + PREFIX + dnatChain(conn) + protocol + " ip saddr " + network + to, conn));
        }
        lines.add(new Rule("add element" + PREFIX + DNAT_CHAINS + " { " + key(port) + mapping + " : jump "
                + dnatChain(conn) + " }", conn));
        return lines;
    }

    /** The DNAT element first, so no new connection is rewritten once the transaction is in. */
    List<Rule> closing(ForwardedPort port) {
        ConnPort conn = port.connPort();
        if (!hasDnatChain(port)) {
            return List.of(new Rule("delete element" + PREFIX + UDP_DNAT_MAP + " { " + conn.value() + " }", conn),
                    new Rule("delete element" + PREFIX + forwardsOf(port) + " { " + NftRenderer.forward(port) + " }",
                            conn));
        }
        return List.of(new Rule("delete element" + PREFIX + DNAT_CHAINS + " { " + key(port) + " }", conn),
                new Rule("delete chain" + PREFIX + dnatChain(conn), conn),
                new Rule("delete element" + PREFIX + forwardsOf(port) + " { " + NftRenderer.forward(port) + " }", conn));
    }

    static String dnatChain(ConnPort conn) {
        return "dnat_" + conn.value();
    }

    /** Where the agent writes a forwarding's DNAT: its own chain's element in {@value #DNAT_CHAINS}, {@value #UDP_DNAT_MAP} or the tcp map. */
    static String dnatOf(ForwardedPort port) {
        return hasDnatChain(port) ? DNAT_CHAINS : needs(port) ? UDP_DNAT_MAP : NftRenderer.DNAT_MAP;
    }

    static String forwardsOf(ForwardedPort port) {
        return port.protocol() == Protocol.UDP ? UDP_FORWARDS : NftRenderer.FORWARDS;
    }

    private static String key(ForwardedPort port) {
        return port.protocol().wire() + " . " + port.connPort().value();
    }

    private static String comment(String text) {
        return " comment \"" + text + "\"";
    }

    private static void fixed(String line, List<Rule> lines) {
        lines.add(new Rule(line, null));
    }
}
