package org.vlab.ipam.agent.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
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
        List<String> logJumps = new ArrayList<>();
        for (ForwardedPort port : logs ? wanted : List.<ForwardedPort>of()) {
            ConnPort conn = port.connPort();
            chains.add(NftRenderer.logChain(conn));
            rules.add(NftRenderer.logChain(conn) + " " + NftRenderer.mapping(conn) + ": limit="
                    + options.logRatePerSecond() + "/second/" + options.logBurst() + " log=" + logPrefix(options, conn));
            logJumps.add(conn.value() + " " + NftRenderer.logChain(conn));
        }
        return new NftTable(true, Set.copyOf(chains), rules, Set.copyOf(wanted), Set.copyOf(wanted),
                logJumps.stream().collect(Collectors.toSet()));
    }

    private static String logPrefix(RuleOptions options, ConnPort conn) {
        String prefix = LogPrefix.forMapping(conn);
        return options.logTarget() == LogTarget.LOG ? prefix + " |-" : prefix + "|" + options.nflogGroup();
    }
}
