package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.NOW;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.mapping;
import static org.vlab.ipam.agent.reconcile.Commands.remove;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapRequested;

/**
 * A sync of changes that fails after part of it committed (iptables-restore commits the nat
 * table before it reaches filter, and a run can time out after that): the DNAT rules of the
 * mappings it closed may be gone, so the full sync that follows cannot find them in the kernel,
 * yet their sessions must still end before the removal is answered. The backend is a stand-in;
 * {@code IptablesInNamespaceTests} shows the kernel committing table by table.
 */
class SessionsOfFailedChangesTests {

    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final StandInFirewall backend = new StandInFirewall();
    private final List<List<String>> conntrackRuns = new CopyOnWriteArrayList<>();
    private final FirewallSync sync = new FirewallSync(ledger, backend,
            new GatewayCondition(Clock.fixed(NOW, ZoneOffset.UTC)), new Conntrack((command, stdin, timeout) -> {
                conntrackRuns.add(command);
                return new CommandRunner.Completed(0, "", "");
            }, new SimpleMeterRegistry()));

    @BeforeEach
    void twoMappingsHeld() {
        ledger.merge(snapshot(2, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10"),
                mapping(50002, 2, MappingState.APPLIED, "192.168.1.11")), POLICY);
        assertThat(sync.sync(true)).isTrue();
        conntrackRuns.clear();
    }

    @Test
    void aRemovalRefusedAfterItsDnatRuleWentStillEndsItsSessions() {
        failingAfterNatCommitted(FirewallException.Kind.REFUSED);
        offer(remove(50002, 3));

        assertThat(sync.sync(false)).as("the full sync after the refusal committed").isTrue();

        assertThat(conntrackRuns).singleElement().satisfies(command -> assertThat(command).contains("50002"));
    }

    @Test
    void aRemovalThatTimedOutAfterItsDnatRuleWentEndsItsSessionsOnceTheRetryCommits() {
        failingAfterNatCommitted(FirewallException.Kind.TRANSIENT);
        offer(remove(50002, 3));
        assertThat(sync.sync(false)).as("retried later").isFalse();
        backend.refusal = null;

        assertThat(sync.sync(false)).isTrue();

        assertThat(conntrackRuns).singleElement().satisfies(command -> assertThat(command).contains("50002"));
    }

    @Test
    void aMappingWantedAgainKeepsItsSessions() {
        failingAfterNatCommitted(FirewallException.Kind.TRANSIENT);
        offer(remove(50002, 3));
        assertThat(sync.sync(false)).isFalse();
        backend.refusal = null;
        offer(create(50002, 4, "192.168.1.11"));

        assertThat(sync.sync(false)).isTrue();

        assertThat(conntrackRuns).isEmpty();
    }

    /** The next change's write takes out the DNAT side of 50002, as a committed nat table would, then fails. */
    private void failingAfterNatCommitted(FirewallException.Kind kind) {
        backend.duringWrite = () -> {
            backend.duringWrite = null;
            backend.held = backend.held.stream().filter(forward -> forward.connPort().value() != 50002).toList();
            backend.refusal = new FirewallException(kind, "iptables-restore: line 7 failed", null, null);
        };
    }

    private void offer(PortMapRequested command) {
        ledger.offer(command, () -> POLICY.refusal(command.action(), command.connPort(), command.target()));
    }
}
