package org.vlab.ipam.agent.firewall;

import java.util.Collection;
import java.util.List;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.ObservedRules;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleBuilder;

/** The iptables backend: the agent's two chains, written with iptables-restore and read back with iptables-save. */
public final class IptablesFirewall implements Firewall {

    private final Iptables iptables;
    private final RuleBuilder builder;

    public IptablesFirewall(Iptables iptables, RuleBuilder builder) {
        this.iptables = iptables;
        this.builder = builder;
    }

    @Override
    public KernelState read() throws FirewallException {
        return new Observed(ObservedRules.parse(iptables.save()), builder);
    }

    @Override
    public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened) {
        return builder.changeScript(closed, opened);
    }

    @Override
    public void apply(RestoreScript script) throws FirewallException {
        iptables.restore(script);
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
