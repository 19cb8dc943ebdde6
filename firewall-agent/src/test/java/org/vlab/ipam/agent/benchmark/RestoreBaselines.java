package org.vlab.ipam.agent.benchmark;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesFirewall;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.firewall.ProcessCommandRunner;
import org.vlab.ipam.agent.nftables.Nft;
import org.vlab.ipam.agent.nftables.NftRenderer;
import org.vlab.ipam.agent.nftables.NftablesFirewall;
import org.vlab.ipam.agent.rules.DesiredRules;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.testsupport.NetworkLab;

/**
 * The baselines, timed in a namespace of their own with the same rules the agent writes: one
 * {@code iptables -A} per rule, one transaction of every mapping, the old per-change path
 * (read back, write everything), and the new one (one mapping's rules or elements), the last
 * three through the agent's iptables or nftables backend.
 * Every program runs through {@code ip netns exec}, whose own cost is measured too.
 */
final class RestoreBaselines implements AutoCloseable {

    /** The agent's default options on the baselines' WAN interface; {@link StreamBaselines} uses them too. */
    static final RuleOptions OPTIONS = new RuleOptions(InterfaceName.of("wan0"), LogTarget.NFLOG, 5, 10, 20);

    private final NetworkLab network = new NetworkLab();
    private final String namespace = network.namespace("bench");
    private final RuleBuilder builder = new RuleBuilder(OPTIONS);
    private final Iptables iptables = new Iptables(this::inNamespace, IptablesVariant.DEFAULT);
    /** The backend the agent-path rows time: iptables, or nftables with the same options. */
    private final Firewall firewall;

    RestoreBaselines(boolean nftables) {
        firewall = nftables ? new NftablesFirewall(new Nft(this::inNamespace), new NftRenderer(OPTIONS))
                : new IptablesFirewall(iptables, builder);
    }

    /** {@code ip netns exec <ns> true}: what every baseline pays on top of the program itself. */
    Timings namespaceEntry(int rounds) {
        Timings timings = new Timings();
        for (int i = 0; i < rounds; i++) {
            timings.add(Timings.time(() -> network.exec(namespace, "true")));
        }
        return timings;
    }

    /** One {@code iptables -A} process per rule of {@code ports}, into freshly created chains. */
    long naiveAppends(List<ForwardedPort> ports) {
        DesiredRules rules = builder.build(ports);
        network.exec(namespace, "iptables", "-w", "-t", "nat", "-N", RuleBuilder.NAT_CHAIN);
        network.exec(namespace, "iptables", "-w", "-N", RuleBuilder.FILTER_CHAIN);
        rules.natBlocks().forEach(block -> network.exec(namespace, "iptables", "-w", "-t", "nat", "-N", block));
        rules.filterBlocks().forEach(block -> network.exec(namespace, "iptables", "-w", "-N", block));
        long took = Timings.time(() -> {
            rules.natLines().forEach(line -> append("nat", line));
            rules.filterLines().forEach(line -> append("filter", line));
        });
        network.exec(namespace, "iptables", "-w", "-t", "nat", "-F", RuleBuilder.NAT_CHAIN);
        network.exec(namespace, "iptables", "-w", "-F", RuleBuilder.FILTER_CHAIN);
        rules.natBlocks().forEach(block -> network.exec(namespace, "iptables", "-w", "-t", "nat", "-F", block));
        rules.filterBlocks().forEach(block -> network.exec(namespace, "iptables", "-w", "-F", block));
        return took;
    }

    /** One transaction of the whole rule set for {@code ports} (read back first), {@code rounds} times. */
    Timings fullRestore(List<ForwardedPort> ports, int rounds) {
        Timings timings = new Timings();
        for (int i = 0; i < rounds; i++) {
            timings.add(Timings.time(() -> restore(read().scriptTo(ports))));
        }
        return timings;
    }

    /** What the agent did for every change before (and does at a reconcile that finds drift): read back, write everything. */
    Timings readBackAndFullRestore(List<ForwardedPort> ports, int rounds) {
        Timings timings = new Timings();
        for (int i = 0; i < rounds; i++) {
            List<ForwardedPort> changed = new ArrayList<>(ports);
            changed.remove(i % ports.size());
            timings.add(Timings.time(() -> restore(read().scriptTo(changed))));
        }
        restore(read().scriptTo(ports));
        return timings;
    }

    /**
     * What the agent does for a change now, with {@code ports} in the kernel: a restore that
     * deletes one mapping's rules by their text, then one that appends them again; returns the two.
     */
    Timings[] changeRestores(List<ForwardedPort> ports, int rounds) {
        Timings deletions = new Timings();
        Timings appends = new Timings();
        // the other mappings of the block stay, so a change neither opens nor closes its block
        Predicate<ConnPort> othersInTheBlock = port -> true;
        for (int i = 0; i < rounds; i++) {
            ForwardedPort one = ports.get(i % ports.size());
            deletions.add(Timings.time(() -> restore(firewall.changeScript(List.of(one), List.of(), othersInTheBlock))));
            appends.add(Timings.time(() -> restore(firewall.changeScript(List.of(), List.of(one), othersInTheBlock))));
        }
        return new Timings[] {deletions, appends};
    }

    /** The clean-up after a removal: one {@code conntrack -D} of a mapping's forwarding (finding nothing). */
    Timings conntrackDeletion(ForwardedPort forward, int rounds) {
        Timings timings = new Timings();
        List<String> command = List.of("conntrack", "-D", "-p", "tcp", "--orig-port-dst",
                Integer.toString(forward.connPort().value()), "--dst-nat");
        for (int i = 0; i < rounds; i++) {
            timings.add(Timings.time(() -> {
                try {
                    inNamespace(command, null, Duration.ofSeconds(10));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        return timings;
    }

    private Firewall.KernelState read() {
        try {
            return firewall.read();
        } catch (FirewallException e) {
            throw new IllegalStateException(e.reason(), e);
        }
    }

    private void restore(RestoreScript script) {
        try {
            firewall.apply(script);
        } catch (FirewallException e) {
            throw new IllegalStateException(e.reason(), e);
        }
    }

    private void append(String table, String line) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "-t", table));
        // the rule as iptables-save prints it, split into arguments; the comments hold no spaces
        for (String word : line.split(" ")) {
            command.add(word.replace("\"", ""));
        }
        network.exec(namespace, command.toArray(String[]::new));
    }

    private CommandRunner.Completed inNamespace(List<String> command, String stdin, Duration timeout)
            throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return new ProcessCommandRunner().run(full, stdin, timeout);
    }

    @Override
    public void close() {
        network.close();
    }
}
