package org.vlab.ipam.agent.reconcile;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.vlab.ipam.agent.firewall.Conntrack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

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
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.firewall.ReservedPorts;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.PortRange;

/** No exception is lost in the reconciler: a failed reconcile is logged and the next one runs. */
@ExtendWith(OutputCaptureExtension.class)
class ReconcilerTests {

    @Test
    void aReconcileThatThrowsIsLoggedAndTheNextOneRuns(@TempDir Path directory, CapturedOutput output)
            throws IOException {
        PortLedger ledger = new PortLedger(GATEWAY);
        SyncLoop loop = new SyncLoop(new FirewallSync(ledger, new Iptables(
                (command, stdin, timeout) -> new CommandRunner.Completed(0, "", ""), IptablesVariant.DEFAULT),
                new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20)),
                new GatewayCondition(Clock.systemUTC()),
                new Conntrack((c, in, t) -> new CommandRunner.Completed(0, "", ""), new SimpleMeterRegistry())), Duration.ofSeconds(1));
        AtomicInteger fetches = new AtomicInteger();
        List<Object> events = new CopyOnWriteArrayList<>();
        Reconciler reconciler = new Reconciler(() -> {
            if (fetches.incrementAndGet() == 1) {
                throw new IllegalStateException("a bug in the snapshot client");
            }
            return snapshot(3);
        }, ledger, POLICY, loop, new AnswerPublisher(null), events::add, new Reconciler.Settings(
                new PortRange(50000, 50100), Duration.ofMinutes(5),
                new ReservedPorts(Files.writeString(directory.resolve("reserved"), "\n")), Clock.systemUTC()));
        loop.start();
        reconciler.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("reconcile (start) failed"));
            assertThat(output.getOut()).contains("a bug in the snapshot client");

            reconciler.request("again");

            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(new DesiredStateKnown(3)));
            assertThat(ledger.knowsDesiredState()).isTrue();
        } finally {
            reconciler.stop();
            loop.stop();
        }
    }
}
