package org.vlab.ipam.agent.nftables;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.Set;
import java.util.stream.Collectors;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.domain.ConnPort;
import tools.jackson.core.JacksonException;

/**
 * The nftables backend: the agent's own table, changed element by element in one {@code nft -f}
 * transaction, replaced whole in one transaction when a full sync finds it drifted, and read
 * back with {@code nft -j}.
 */
public final class NftablesFirewall implements Firewall, AutoCloseable {

    private final Nft nft;
    private final NftRenderer renderer;
    private final HostForwardPolicy hostPolicy;
    private final Optional<NftStream> stream;
    private final NftLoggedRules logged = new NftLoggedRules();
    private final NftHeldStructures structures = new NftHeldStructures();
    /**
     * Log rules of closed mappings a table may hold before a full sync writes it anew: they cost
     * nothing per packet, but every read lists them (a read of 7,000 log rules took 0.7 s of nft,
     * of 1,000 0.14 s); a rewrite of 1,000 mappings takes some 250 ms, once per 1,000 removals.
     */
    static final int CLOSED_LOG_RULES_KEPT = 1000;

    /** Without a look at the host's other forward chains (tests of the table alone). */
    public NftablesFirewall(Nft nft, NftRenderer renderer) {
        this(nft, renderer, null, Optional.empty());
    }

    /**
     * {@code hostPolicy}: what tells whether the host's iptables FORWARD chain drops what the
     * table accepts; {@code stream}: the long-lived {@code nft -i} that syncs of changes go to
     * (full syncs and reads always run {@code nft} of their own).
     */
    public NftablesFirewall(Nft nft, NftRenderer renderer, HostForwardPolicy hostPolicy, Optional<NftStream> stream) {
        this.nft = nft;
        this.renderer = renderer;
        this.hostPolicy = hostPolicy;
        this.stream = stream;
    }

    @Override
    public Optional<String> hostProblem() {
        return hostPolicy == null ? Optional.empty() : hostPolicy.problem();
    }

    @Override
    public KernelState read() throws FirewallException {
        String listing = nft.listTable();
        try {
            NftTable table = NftTable.parse(listing);
            logged.read(table.logRules());
            structures.read(table, renderer.options());
            return new Observed(table, renderer);
        } catch (JacksonException e) {
            throw new FirewallException(Kind.REFUSED, "nft -j printed what the agent cannot read: "
                    + e.getOriginalMessage(), null, e);
        }
    }

    @Override
    public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
            Predicate<ConnPort> heldBefore) {
        return renderer.changeScript(closed, opened, logged.view(), structures.held());
    }

    @Override
    public void apply(RestoreScript script) throws FirewallException {
        try {
            nft.apply(script);
        } catch (FirewallException e) {
            structures.unknown();
            throw e;
        }
        committed(script);
    }

    @Override
    public void applyChanges(RestoreScript script) throws FirewallException {
        try {
            if (stream.isPresent() && stream.get().usable()) {
                stream.get().commit(script);
            } else {
                nft.apply(script);
            }
        } catch (FirewallException e) {
            structures.unknown();
            throw e;
        }
        committed(script);
    }

    private void committed(RestoreScript script) {
        logged.committed(script);
        structures.committed(script);
    }

    @Override
    public void close() {
        stream.ifPresent(NftStream::close);
    }

    @Override
    public int rulesPerMapping() {
        return renderer.rulesPerMapping();
    }

    /** A source-limited mapping takes, beside its elements, its DNAT chain's rules (one per source network). */
    @Override
    public int ruleCount(Collection<ForwardedPort> forwards) {
        return forwards.stream().mapToInt(forward -> renderer.rulesPerMapping() + forward.networks().size()).sum();
    }

    @Override
    public String program() {
        return "nft";
    }

    private record Observed(NftTable table, NftRenderer renderer) implements KernelState {

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
            compare(NftRenderer.DNAT_MAP + " elements", table.dnat(), desired.dnat(), out);
            compare(NftRenderer.FORWARDS + " elements", table.forwards(), desired.forwards(), out);
            compare(NftRenderer.LOG_BLOCKS + " elements", table.logJumps(), desired.logJumps(), out);
            return out;
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
}
