package org.vlab.ipam.agent.nftables;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.vlab.ipam.agent.firewall.Firewall.KernelState;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;

/**
 * What a read of the agent's table found, compared with the forwardings wanted: whether it holds
 * them, what differs (element differences named by the map or set the agent writes them into), and
 * the script to them.
 */
record NftKernelState(NftTable table, NftRenderer renderer) implements KernelState {

    /**
     * Log rules of closed mappings a table may hold before a full sync writes it anew: they cost
     * nothing per packet, but every read lists them (a read of 7,000 log rules took 0.7 s of nft,
     * of 1,000 0.14 s); a rewrite of 1,000 mappings takes some 250 ms, once per 1,000 removals.
     */
    static final int CLOSED_LOG_RULES_KEPT = 1000;

    @Override
    public boolean holds(List<ForwardedPort> wanted) {
        return differences(wanted).isEmpty();
    }

    @Override
    public String differenceFrom(List<ForwardedPort> wanted) {
        List<String> differences = differences(wanted);
        return differences.isEmpty() ? "none" : String.join("; ", differences);
    }

    /** The log rules of closed mappings count only past the limit, and are housekeeping, not drift. */
    @Override
    public boolean drifted(List<ForwardedPort> wanted) {
        return !drift(wanted).isEmpty();
    }

    private List<String> differences(List<ForwardedPort> wanted) {
        List<String> out = drift(wanted);
        long closed = table.exists() ? NftSignatures.closedMappingsLogRules(table, wanted) : 0;
        if (closed > CLOSED_LOG_RULES_KEPT) {
            out = new ArrayList<>(out);
            out.add(closed + " log rules of closed mappings, more than the " + CLOSED_LOG_RULES_KEPT
                    + " a table keeps before it is written anew");
        }
        return out;
    }

    private List<String> drift(List<ForwardedPort> wanted) {
        if (!table.exists()) {
            return List.of("table " + NftRenderer.TABLE + " missing");
        }
        List<String> out = compared(NftSignatures.of(renderer.options(), wanted));
        if (!out.isEmpty() && wanted.stream().noneMatch(NftExtendedMappings::needs)) {
            // a change that closed the last udp or source-limited mapping leaves their structures, empty
            List<String> withLeftovers = compared(NftSignatures.of(renderer.options(), wanted, true));
            out = withLeftovers.isEmpty() ? withLeftovers : out;
        }
        return out;
    }

    private List<String> compared(NftTable desired) {
        List<String> out = new ArrayList<>();
        List<ForwardedPort> wanted = List.copyOf(desired.dnat());
        NftTable table = NftSignatures.withoutClosedMappingsLogs(this.table, renderer.options(), wanted);
        compare("chains", table.chains(), desired.chains(), out);
        compare("rules", new HashSet<>(table.rules()), new HashSet<>(desired.rules()), out);
        if (table.rules().size() != desired.rules().size()) {
            out.add(table.rules().size() + " rules, wanted " + desired.rules().size());
        }
        // each difference names the map or set the agent writes such forwardings into; a table of an older
        // layout (a udp mapping's DNAT in dnat_chains) shows as a difference of its chains and rules as well
        compareByPlace(table.dnat(), desired.dnat(), NftExtendedMappings::dnatOf, out);
        compareByPlace(table.forwards(), desired.forwards(), NftExtendedMappings::forwardsOf, out);
        compare(NftRenderer.LOG_BLOCKS + " elements", table.logJumps(), desired.logJumps(), out);
        return out;
    }

    private static void compareByPlace(Set<ForwardedPort> held, Set<ForwardedPort> wanted,
            Function<ForwardedPort, String> place, List<String> out) {
        Map<String, Set<ForwardedPort>> heldIn = held.stream().collect(groupingBy(place, TreeMap::new, toSet()));
        Map<String, Set<ForwardedPort>> wantedIn = wanted.stream().collect(groupingBy(place, TreeMap::new, toSet()));
        Set<String> places = new TreeSet<>(heldIn.keySet());
        places.addAll(wantedIn.keySet());
        for (String name : places) {
            compare(name + " elements", heldIn.getOrDefault(name, Set.of()), wantedIn.getOrDefault(name, Set.of()),
                    out);
        }
    }

    private static <T> void compare(String what, Set<T> held, Set<T> wanted, List<String> out) {
        long missing = wanted.stream().filter(item -> !held.contains(item)).count();
        long unexpected = held.stream().filter(item -> !wanted.contains(item)).count();
        if (missing + unexpected > 0) {
            out.add(what + ": " + missing + " missing, " + unexpected + " unexpected");
        }
    }

    @Override
    public RestoreScript scriptTo(List<ForwardedPort> wanted) {
        return renderer.fullScript(wanted);
    }

    @Override
    public List<ForwardedPort> forwardsNotIn(Collection<ForwardedPort> wanted) {
        Set<ForwardedPort> keep = Set.copyOf(wanted);
        return table.dnat().stream().filter(forward -> !keep.contains(forward))
                .sorted(Comparator.comparing(ForwardedPort::connPort)).collect(Collectors.toList());
    }
}
