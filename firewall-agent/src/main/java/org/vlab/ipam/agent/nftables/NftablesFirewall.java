package org.vlab.ipam.agent.nftables;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Predicate;
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
    private final NftHeldStructures structures;

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
        this.structures = new NftHeldStructures(renderer.options());
        this.hostPolicy = hostPolicy;
        this.stream = stream;
    }

    @Override
    public Optional<String> hostProblem() {
        return hostPolicy == null ? Optional.empty() : hostPolicy.problem();
    }

    @Override
    public KernelState observe() throws FirewallException {
        String listing = nft.listTable();
        try {
            return new NftKernelState(NftTable.parse(listing), renderer);
        } catch (JacksonException e) {
            throw new FirewallException(Kind.REFUSED, "nft -j printed what the agent cannot read: "
                    + e.getOriginalMessage(), null, e);
        }
    }

    @Override
    public boolean readsAtOneMoment() {
        return true;
    }

    @Override
    public void adopt(KernelState state) {
        NftTable table = ((NftKernelState) state).table();
        logged.read(table.logRules());
        structures.read(table);
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
}
