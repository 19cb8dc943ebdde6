package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.NOW;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.mapping;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.vlab.ipam.events.MappingState;

/**
 * What a full sync tells the operator when it rewrites the firewall with no change pending: a
 * warning only when something else changed what the agent wrote, not when the backend clears
 * what its own earlier changes left (the nftables backend past 1,000 log rules of closed
 * mappings, once per 1,000 removals). The backend is a stand-in; the real backend's account is
 * in {@code NftTableTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DriftReportTests {

    private static final String DRIFT = "drifted from the desired state";

    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final StandInFirewall backend = new StandInFirewall();
    private final FirewallSync sync = backend.syncFor(ledger, new GatewayCondition(Clock.fixed(NOW, ZoneOffset.UTC)));

    @BeforeEach
    void takeOverAKernelWithOneMapping() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        assertThat(sync.sync(true)).isTrue();
        assertThat(backend.held).hasSize(1);
    }

    @Test
    void aRewriteThatClearsTheBackendsLeftoversIsNotReportedAsDrift(CapturedOutput output) {
        backend.leftovers = true;
        int writes = backend.writes;

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.writes).as("the leftovers are cleared").isEqualTo(writes + 1);
        assertThat(logged(output, "INFO")).anyMatch(
                line -> line.contains("rewriting the agent's chains to clear what earlier changes left (leftovers)"));
        assertThat(output.getOut()).doesNotContain(DRIFT);
    }

    @Test
    void aKernelThatSomethingElseChangedIsDrift(CapturedOutput output) {
        backend.held = List.of();

        assertThat(sync.sync(true)).isTrue();

        assertThat(backend.held).hasSize(1);
        assertThat(logged(output, "WARN")).anyMatch(line -> line.contains(DRIFT + " (differs)"));
    }

    @Test
    void driftBesideLeftoversIsStillDrift(CapturedOutput output) {
        backend.held = List.of();
        backend.leftovers = true;

        assertThat(sync.sync(true)).isTrue();

        assertThat(logged(output, "WARN")).anyMatch(line -> line.contains(DRIFT));
        assertThat(output.getOut()).doesNotContain("to clear what earlier changes left");
    }

    /** The lines logged at {@code level} (the default Logback pattern: time, level, thread, logger, message). */
    private static List<String> logged(CapturedOutput output, String level) {
        return output.getOut().lines().filter(line -> line.contains(" " + level + " ")).toList();
    }
}
