package org.vlab.ipam.agent.reconcile;

import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.HOST;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.mapping;
import static org.vlab.ipam.agent.reconcile.Commands.remove;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapRequested;

/**
 * The agent's own CPU per sync of one change, with 10, 1,000 and 10,000 mappings on the
 * gateway, iptables replaced by a runner that answers at once (the kernel's share is in the
 * namespace benchmark). The baseline, in the same run: what a sync of changes computed before it
 * looked at the changed ports only, the whole desired state read from the ledger, turned into
 * a map and counted, on every sync. Runs only with {@code -Dbenchmark=true} (bench/agent.sh);
 * the table goes to {@code target/benchmarks/sync-cost.md}. Nothing about speed is asserted.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SyncCostBenchmark {

    private static final int SYNCS = 4_000;
    private static final int WARM_UP = 4_000;
    private static final RuleBuilder BUILDER = new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"),
            LogTarget.NFLOG, 5, 10, 20));
    private static final TargetPolicy POLICY = new TargetPolicy(List.of(LabNetwork.of("10.0.0.0/8")),
            new PortRange(20000, 40000), InterfaceName.of("eth0"), HOST);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void measuresTheCpuOfOneSyncOfChangesAgainstTheNumberOfMappings() throws IOException {
        List<String> rows = new ArrayList<>();
        for (int mappings : new int[] {10, 1_000, 10_000}) {
            PortLedger ledger = new PortLedger(GATEWAY);
            ledger.merge(snapshot(1, IntStream.range(0, mappings).mapToObj(n -> mapping(20000 + n, 1, MappingState.APPLIED,
                    "10.0." + (n / 250) + "." + (1 + n % 250))).toArray(MappingSnapshot[]::new)), POLICY);
            FirewallSync sync = new FirewallSync(ledger, new Iptables(answeringAtOnce(), IptablesVariant.DEFAULT),
                    BUILDER, new GatewayCondition(Clock.systemUTC()), new Conntrack(answeringAtOnce(),
                            new SimpleMeterRegistry()));
            sync.sync(true);
            long[] generation = {2};
            Runnable oneChange = () -> {
                long next = generation[0]++;
                PortMapRequested command = next % 2 == 0 ? create(39000, next, "10.200.0.1") : remove(39000, next);
                ledger.offer(command, () -> POLICY.refusal(command.action(), command.connPort(), command.target()));
                sync.sync(false);
            };
            Runnable fullViewAsBefore = () -> {
                // the view of every port, the map of it built twice (to compare, then as what the kernel
                // held) and the rule count summed over every mapping
                SyncView view = ledger.beginSync();
                KernelMappings.of(view.wanted());
                KernelMappings.of(view.wanted());
                view.wanted().stream().mapToInt(forward -> BUILDER.rulesPerMapping() - 1
                        + Math.max(1, forward.networks().size())).sum();
            };
            double change = microsPerRun(oneChange);
            double before = microsPerRun(fullViewAsBefore);
            rows.add(String.format(Locale.ROOT, "| %d | %.1f µs | %.1f µs |", mappings, change, before));
        }
        String table = "| mappings on the gateway | one sync of one change (agent CPU, iptables answering at once) "
                + "| baseline: the whole desired state read, mapped and counted, as each sync did before |\n"
                + "|---|---|---|\n" + String.join("\n", rows) + "\n";
        Path out = Path.of("target", "benchmarks", "sync-cost.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.print(table);
    }

    private static double microsPerRun(Runnable run) {
        for (int i = 0; i < WARM_UP; i++) {
            run.run();
        }
        long started = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < SYNCS; i++) {
            run.run();
        }
        return (THREADS.getCurrentThreadCpuTime() - started) / 1e3 / SYNCS;
    }

    private static CommandRunner answeringAtOnce() {
        return (command, stdin, timeout) -> command.get(0).equals("iptables-save")
                ? new CommandRunner.Completed(0, "*" + command.get(2) + "\nCOMMIT\n", "")
                : new CommandRunner.Completed(command.get(0).equals("conntrack") ? 1 : 0, "", "");
    }
}
