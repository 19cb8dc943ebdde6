package org.vlab.ipam.agent.reconcile;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.domain.ConnPort;

/**
 * A kernel that holds whatever was written, whole or as changes; the test sets what the host
 * looks like, whether writing fails, what else the kernel holds, and whether it holds leftovers
 * the backend wants to clear (housekeeping, as the nftables backend's log rules of closed
 * mappings). It counts its reads, adoptions, comparisons and writes, and can run something while
 * a write is under way (another thread's read, say).
 */
final class StandInFirewall implements Firewall {

    String hostProblem;
    int looks;
    int reads;
    int adopted;
    int compared;
    int writes;
    /** Writes of the whole rule set, not of changes. */
    int fullWrites;
    FirewallException refusal;
    FirewallException readRefusal;
    Runnable duringWrite;
    /** Run at each read before it looks (a transaction committing while the kernel is read, say). */
    Runnable duringRead;
    boolean leftovers;
    /** Whether a read shows one moment (as nft's), or reads in parts (as iptables-save's). */
    boolean oneMoment = true;
    volatile List<ForwardedPort> held = List.of();
    /** What the change script rendered last does to the kernel once written. */
    private Runnable change;

    /** A sync through this backend, whose conntrack finds no session to end. */
    FirewallSync syncFor(PortLedger ledger, GatewayCondition condition) {
        return new FirewallSync(ledger, this, condition,
                new Conntrack((command, stdin, timeout) -> new CommandRunner.Completed(0, "", ""),
                        new SimpleMeterRegistry()));
    }

    @Override
    public KernelState observe() throws FirewallException {
        if (readRefusal != null) {
            throw readRefusal;
        }
        reads++;
        if (duringRead != null) {
            duringRead.run();
        }
        List<ForwardedPort> now = held;
        boolean withLeftovers = leftovers;
        return new KernelState() {
            @Override
            public boolean holds(List<ForwardedPort> wanted) {
                compared++;
                return same(wanted) && !withLeftovers;
            }

            @Override
            public boolean drifted(List<ForwardedPort> wanted) {
                return !same(wanted);
            }

            @Override
            public String differenceFrom(List<ForwardedPort> wanted) {
                return same(wanted) ? withLeftovers ? "leftovers" : "none" : "differs";
            }

            private boolean same(List<ForwardedPort> wanted) {
                return Set.copyOf(now).equals(Set.copyOf(wanted));
            }

            @Override
            public RestoreScript scriptTo(List<ForwardedPort> wanted) {
                held = List.copyOf(wanted);
                leftovers = false;
                return new RestoreScript(List.of());
            }

            @Override
            public List<ForwardedPort> forwardsNotIn(Collection<ForwardedPort> wanted) {
                return now.stream().filter(port -> !wanted.contains(port)).toList();
            }
        };
    }

    @Override
    public boolean readsAtOneMoment() {
        return oneMoment;
    }

    @Override
    public void adopt(KernelState state) {
        adopted++;
    }

    @Override
    public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
            Predicate<ConnPort> heldBefore) {
        change = () -> {
            List<ForwardedPort> next = new ArrayList<>(held);
            next.removeAll(closed);
            next.addAll(opened);
            held = List.copyOf(next);
        };
        return new RestoreScript(List.of());
    }

    @Override
    public void apply(RestoreScript script) throws FirewallException {
        if (duringWrite != null) {
            duringWrite.run();
        }
        Runnable written = change;
        change = null;
        if (refusal != null) {
            throw refusal;
        }
        writes++;
        if (written != null) {
            written.run();
        } else {
            fullWrites++;
        }
    }

    @Override
    public Optional<String> hostProblem() {
        looks++;
        return Optional.ofNullable(hostProblem);
    }

    @Override
    public int rulesPerMapping() {
        return 3;
    }

    @Override
    public String program() {
        return "stand-in";
    }
}
