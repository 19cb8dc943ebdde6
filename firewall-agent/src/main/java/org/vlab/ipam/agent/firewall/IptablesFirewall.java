package org.vlab.ipam.agent.firewall;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.ObservedRules;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.domain.ConnPort;

/**
 * The iptables backend: the agent's entry and block chains, written with iptables-restore and read back
 * with iptables-save. With a {@link RestoreStream} (nf_tables hosts), changes go to one
 * long-lived iptables-restore; full syncs always run a process of their own.
 */
public final class IptablesFirewall implements Firewall, AutoCloseable {

    private final Iptables iptables;
    private final RuleBuilder builder;
    private final Optional<RestoreStream> stream;

    public IptablesFirewall(Iptables iptables, RuleBuilder builder) {
        this(iptables, builder, Optional.empty());
    }

    public IptablesFirewall(Iptables iptables, RuleBuilder builder, Optional<RestoreStream> stream) {
        this.iptables = iptables;
        this.builder = builder;
        this.stream = stream;
    }

    @Override
    public KernelState observe() throws FirewallException {
        return new Observed(ObservedRules.parse(iptables.save()), builder);
    }

    @Override
    public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
            Predicate<ConnPort> heldBefore) {
        return builder.changeScript(closed, opened, heldBefore);
    }

    @Override
    public void apply(RestoreScript script) throws FirewallException {
        iptables.restore(script);
    }

    @Override
    public void applyChanges(RestoreScript script) throws FirewallException {
        if (stream.isPresent() && stream.get().usable()) {
            stream.get().commit(script);
        } else {
            iptables.restore(script);
        }
    }

    @Override
    public void close() {
        stream.ifPresent(RestoreStream::close);
    }

    @Override
    public int rulesPerMapping() {
        return builder.rulesPerMapping();
    }

    @Override
    public String program() {
        return "iptables-restore";
    }

    private record Observed(ObservedRules rules, RuleBuilder builder) implements KernelState {

        @Override
        public boolean holds(List<ForwardedPort> wanted) {
            return rules.matches(builder.build(wanted));
        }

        @Override
        public String differenceFrom(List<ForwardedPort> wanted) {
            return rules.differenceFrom(builder.build(wanted));
        }

        @Override
        public RestoreScript scriptTo(List<ForwardedPort> wanted) {
            return builder.restoreScript(builder.build(wanted), rules);
        }

        @Override
        public List<ForwardedPort> forwardsNotIn(Collection<ForwardedPort> wanted) {
            return rules.forwardsNotIn(wanted);
        }
    }
}
