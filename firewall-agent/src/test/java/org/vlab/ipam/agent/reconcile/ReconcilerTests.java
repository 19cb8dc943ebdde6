package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.firewall.ReservedPorts;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.events.PortMapRequested;

/**
 * No exception is lost in the reconciler: a failed reconcile is logged and the next one runs;
 * and the snapshot it asks for is the API's word on every command that came before it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReconcilerTests {

    @Test
    void aReconcileThatThrowsIsLoggedAndTheNextOneRuns(@TempDir Path directory, CapturedOutput output)
            throws IOException {
        PortLedger ledger = new PortLedger(GATEWAY);
        AtomicInteger fetches = new AtomicInteger();
        List<Object> events = new CopyOnWriteArrayList<>();
        Running running = start(ledger, () -> {
            if (fetches.incrementAndGet() == 1) {
                throw new IllegalStateException("a bug in the snapshot client");
            }
            return snapshot(3);
        }, events, directory);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("reconcile (start) failed"));
            assertThat(output.getOut()).contains("a bug in the snapshot client");

            running.reconciler().request("again");

            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(new DesiredStateKnown(3)));
            assertThat(ledger.knowsDesiredState()).isTrue();
        } finally {
            running.stop();
        }
    }

    @Test
    void aCommandTheApiNeverIssuedGoesAtTheNextReconcile(@TempDir Path directory, CapturedOutput output)
            throws IOException {
        PortLedger ledger = new PortLedger(GATEWAY);
        ledger.merge(snapshot(2), POLICY);
        PortMapRequested forged = create(50050, Long.MAX_VALUE, "192.168.1.66");
        ledger.offer(forged, () -> POLICY.refusal(forged.action(), forged.connPort(), forged.target()));
        List<Object> events = new CopyOnWriteArrayList<>();
        Running running = start(ledger, () -> snapshot(3), events, directory);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("reconciled (start)"));

            assertThat(ledger.beginSync().wanted()).isEmpty();
            assertThat(output.getOut()).contains("the API never issued it");
        } finally {
            running.stop();
        }
    }

    private record Running(Reconciler reconciler, SyncLoop loop) {
        void stop() {
            reconciler.stop();
            loop.stop();
        }
    }

    /** A reconciler over {@code ledger} and a sync loop whose iptables accepts everything, both started. */
    private static Running start(PortLedger ledger, SnapshotSource snapshots, List<Object> events, Path directory)
            throws IOException {
        SyncLoop loop = new SyncLoop(new FirewallSync(ledger, new Iptables(
                (command, stdin, timeout) -> new CommandRunner.Completed(0, "", ""), IptablesVariant.DEFAULT),
                new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20)),
                new GatewayCondition(Clock.systemUTC()),
                new Conntrack((c, in, t) -> new CommandRunner.Completed(0, "", ""), new SimpleMeterRegistry())),
                Duration.ofSeconds(1));
        Reconciler reconciler = new Reconciler(snapshots, ledger, POLICY, loop, new AnswerPublisher(null), events::add,
                new Reconciler.Settings(new PortRange(50000, 50100), Duration.ofMinutes(5),
                        new ReservedPorts(Files.writeString(directory.resolve("reserved"), "\n")), Clock.systemUTC()));
        loop.start();
        reconciler.start();
        return new Running(reconciler, loop);
    }
}
