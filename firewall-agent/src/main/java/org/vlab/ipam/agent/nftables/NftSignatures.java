package org.vlab.ipam.agent.nftables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LogPrefix;

/**
 * What {@link NftTable} reads back from a table holding exactly the renderer's output for some
 * mappings: the same chains, rule signatures and elements. Drift is any difference from it.
 */
final class NftSignatures {

    /** dstnat - 1 and filter - 1, as nft -j prints priorities. */
    private static final int NAT_PRIO = -101;
    private static final int FILTER_PRIO = -1;

    private NftSignatures() {
    }

    static NftTable of(RuleOptions options, List<ForwardedPort> wanted) {
        return of(options, wanted, wanted.stream().anyMatch(NftExtendedMappings::needs));
    }

    /**
     * With {@code extended}, the table also holds the structures of udp and source-limited
     * mappings ({@link NftExtendedMappings}): needed when a wanted mapping is one, and left
     * behind, empty and harmless, by a change that closed the last of them.
     */
    static NftTable of(RuleOptions options, List<ForwardedPort> wanted, boolean extended) {
        boolean logs = options.logTarget() != LogTarget.NONE;
        String wan = " iifname=" + options.wanInterface().value();
        List<String> chains = new ArrayList<>(List.of("prerouting nat prerouting " + NAT_PRIO,
                "forward filter forward " + FILTER_PRIO, "mapped"));
        List<String> rules = new ArrayList<>(List.of("prerouting " + NftRenderer.COMMENT + ":" + wan + " match dnat",
                "forward " + NftRenderer.COMMENT + ":" + wan + " match match jump"));
        if (logs) {
            rules.add("mapped " + NftRenderer.COMMENT + ": match match vmap");
        }
        rules.add("mapped " + NftRenderer.COMMENT + ": mangle accept");
        if (extended) {
            chains.addAll(List.of(NftExtendedMappings.PREROUTING + " nat prerouting " + NAT_PRIO,
                    NftExtendedMappings.FORWARD_UDP + " filter forward " + FILTER_PRIO, NftExtendedMappings.MAPPED_UDP));
            rules.add(NftExtendedMappings.PREROUTING + " " + NftRenderer.COMMENT + ":" + wan + " match match vmap");
            rules.add(NftExtendedMappings.PREROUTING + " " + NftRenderer.COMMENT + ":" + wan + " match dnat");
            if (logs) {
                rules.add(NftExtendedMappings.MAPPED_UDP + " " + NftRenderer.COMMENT + ": match match vmap");
            }
            rules.add(NftExtendedMappings.MAPPED_UDP + " " + NftRenderer.COMMENT + ": goto");
            rules.add(NftExtendedMappings.FORWARD_UDP + " " + NftRenderer.COMMENT + ":" + wan + " match match jump");
        }
        List<ForwardedPort> forwards = new ArrayList<>();
        for (ForwardedPort port : wanted) {
            forwards.add(new ForwardedPort(port.connPort(), port.address(), port.targetPort(), port.protocol(),
                    AllowedSources.ANY));
            if (NftExtendedMappings.hasDnatChain(port)) {
                String chain = NftExtendedMappings.dnatChain(port.connPort());
                chains.add(chain);
                String rule = chain + " " + NftRenderer.mapping(port.connPort()) + ": match match dnat";
                for (int i = 0; i < port.networks().size(); i++) {
                    rules.add(rule);
                }
            }
        }
        Set<String> logJumps = new HashSet<>();
        for (ForwardedPort port : logs ? wanted : List.<ForwardedPort>of()) {
            ConnPort conn = port.connPort();
            chains.add(NftLogBlocks.logChain(NftLogBlocks.blockOf(conn)));
            rules.add(logRule(options, new NftLogRule(conn, port.protocol())));
            logJumps.add(logJump(NftLogBlocks.blockOf(conn)));
        }
        return new NftTable(true, Set.copyOf(chains), rules, Set.copyOf(wanted), Set.copyOf(forwards), logJumps,
                Set.of());
    }

    /**
     * What the structures of udp and source-limited mappings add to a table: their chains and
     * fixed rules (which refer to their maps and sets, so those are there too). They depend on
     * the options alone.
     */
    static NftTable structures(RuleOptions options) {
        NftTable tcpOnly = of(options, List.of(), false);
        NftTable extended = of(options, List.of(), true);
        List<String> rules = new ArrayList<>(extended.rules());
        tcpOnly.rules().forEach(rules::remove);
        return new NftTable(true, without(extended.chains(), tcpOnly.chains()), rules, Set.of(), Set.of(), Set.of(),
                Set.of());
    }

    /** Whether {@code read} holds {@code structures}, so a change opening such a mapping need not write them. */
    static boolean holdsStructures(NftTable read, NftTable structures) {
        return read.exists() && read.chains().containsAll(structures.chains())
                && read.rules().containsAll(structures.rules());
    }

    /**
     * {@code read} without what closed mappings leave in it: log rules of ports no wanted mapping
     * has, exactly as the agent writes them, and log blocks holding no wanted mapping (the
     * renderer keeps them, and they match nothing without the mappings' elements).
     */
    static NftTable withoutClosedMappingsLogs(NftTable read, RuleOptions options, List<ForwardedPort> wanted) {
        Set<NftLogRule> wantedRules = logRules(wanted);
        Set<Integer> blocks = new HashSet<>();
        wanted.forEach(port -> blocks.add(NftLogBlocks.blockOf(port.connPort())));
        Set<String> staleChains = new HashSet<>();
        Set<String> staleJumps = new HashSet<>();
        Set<String> staleRules = new HashSet<>();
        for (NftLogRule rule : read.logRules()) {
            int block = NftLogBlocks.blockOf(rule.port());
            if (!wantedRules.contains(rule)) {
                staleRules.add(logRule(options, rule));
            }
            if (!blocks.contains(block)) {
                staleChains.add(NftLogBlocks.logChain(block));
                staleJumps.add(logJump(block));
            }
        }
        return new NftTable(read.exists(), without(read.chains(), staleChains),
                read.rules().stream().filter(rule -> !staleRules.contains(rule)).toList(), read.dnat(), read.forwards(),
                without(read.logJumps(), staleJumps), read.logRules());
    }

    /** How many log rules {@code read} holds for no wanted mapping. */
    static long closedMappingsLogRules(NftTable read, List<ForwardedPort> wanted) {
        Set<NftLogRule> wantedRules = logRules(wanted);
        return read.logRules().stream().filter(rule -> !wantedRules.contains(rule)).count();
    }

    private static Set<NftLogRule> logRules(List<ForwardedPort> wanted) {
        Set<NftLogRule> rules = new HashSet<>();
        wanted.forEach(port -> rules.add(new NftLogRule(port.connPort(), port.protocol())));
        return rules;
    }

    private static Set<String> without(Set<String> all, Set<String> left) {
        Set<String> kept = new HashSet<>(all);
        kept.removeAll(left);
        return kept;
    }

    /** A mapping's log rule as {@link NftTable#rule} reads it. */
    private static String logRule(RuleOptions options, NftLogRule rule) {
        ConnPort conn = rule.port();
        return NftLogBlocks.logChain(NftLogBlocks.blockOf(conn)) + " " + NftRenderer.mapping(conn) + ": l4proto="
                + rule.protocol().wire() + " proto-dst=" + conn.value() + " limit=" + options.logRatePerSecond()
                + "/second/" + options.logBurst() + " log=" + logPrefix(options, conn);
    }

    private static String logJump(int block) {
        return block + " " + NftLogBlocks.logChain(block);
    }

    private static String logPrefix(RuleOptions options, ConnPort conn) {
        String prefix = LogPrefix.forMapping(conn);
        return options.logTarget() == LogTarget.LOG ? prefix + " |-" : prefix + "|" + options.nflogGroup();
    }
}
