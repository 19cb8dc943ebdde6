package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.health.testing.LabUplink;
import org.vlab.ipam.health.targets.ProbeTarget;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.NetworkLab;

/**
 * One probe cycle's probing over 1,000 unreachable addresses with the real probes (fping and
 * NIO connects, one mapped port each), against the naive sequential approach (one probe at a
 * time) measured in the same run. The addresses are routed into a namespace that silently
 * drops them. Takes about four minutes, most of it the sequential baseline, so it runs only
 * when asked:
 *
 * <pre>./mvnw -B -o -pl health-worker test -Dtest=ProbeCycleBenchmarkTests -Dbenchmark=true</pre>
 *
 * The table is printed and written to {@code target/benchmarks/probe-cycle.md}.
 */
@NetnsTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ProbeCycleBenchmarkTests {

    private static final int TARGETS = 1000;
    private static final Duration TIMEOUT = Duration.ofMillis(100);
    private static final TargetPort PORT = TargetPort.of(22);

    @Test
    void boundedConcurrencyAgainstOneProbeAtATime() throws IOException {
        String net = "10." + ThreadLocalRandom.current().nextInt(200, 250);
        List<ProbeTarget> targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            targets.add(new ProbeTarget(LabAddress.of(net + "." + (i / 250) + "." + (i % 250 + 1)), List.of(PORT)));
        }
        FpingIcmpProber icmp = new FpingIcmpProber("fping", new OsProcessRunner(), 1, TIMEOUT);
        NioTcpProber tcp = new NioTcpProber(TIMEOUT, ProbeConfiguration.kernelGiveUp(ProbeConfiguration.DEFAULT_SYN_RETRIES));
        List<String> rows = new ArrayList<>();
        rows.add("| approach | concurrency | probes | wall time | probes/s |");
        rows.add("|---|---|---|---|---|");
        try (NetworkLab lab = new NetworkLab()) {
            // Forwarding is off in the namespace: packets to these addresses are dropped without an answer.
            String sink = lab.namespace("sink");
            try (LabUplink uplink = LabUplink.open(sink, net + ".255.1/30", net + ".255.2/30", net + ".0.0/22")) {
                rows.add(row("fping start-up (echo to 127.0.0.1, sequential)", 1, 100, fpingStartup(icmp)));
                rows.add(row("worker: bounded concurrency", 64, 2 * TARGETS, cycle(icmp, tcp, targets, 64)));
                rows.add(row("worker: bounded concurrency", 256, 2 * TARGETS, cycle(icmp, tcp, targets, 256)));
                rows.add(row("naive sequential baseline", 1, 2 * TARGETS, cycle(icmp, tcp, targets, 1)));
            }
        }
        String table = String.join("\n", rows) + "\n\n" + TARGETS + " unreachable addresses, one ICMP echo and one TCP"
                + " connect each, probe timeout " + TIMEOUT.toMillis() + " ms; " + Runtime.getRuntime().availableProcessors()
                + " CPUs, " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + "\n";
        System.out.println(table);
        Path report = Path.of("target", "benchmarks", "probe-cycle.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
    }

    /** What one fping process costs when nothing is waited for: 100 answered echoes on loopback, after a warm-up. */
    private static Duration fpingStartup(FpingIcmpProber icmp) {
        for (int i = 0; i < 20; i++) {
            icmp.echo(IcmpCheck.LOOPBACK);
        }
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertThat(icmp.echo(IcmpCheck.LOOPBACK).outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static Duration cycle(IcmpProber icmp, TcpProber tcp, List<ProbeTarget> targets, int concurrency) {
        try (ProbeRunner runner = new ProbeRunner(icmp, tcp, concurrency)) {
            long started = System.nanoTime();
            List<AddressProbes> results = targets.stream().map(runner::probe).toList().stream()
                    .map(CompletableFuture::join).toList();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(results).allSatisfy(result -> {
                assertThat(result.icmp().outcome()).isEqualTo(ProbeOutcome.TIMED_OUT);
                assertThat(result.tcp()).extracting(probe -> probe.outcome()).containsExactly(ProbeOutcome.TIMED_OUT);
            });
            return took;
        }
    }

    private static String row(String approach, int concurrency, int probes, Duration took) {
        return String.format("| %s | %d | %d | %.2f s | %.0f |", approach, concurrency, probes, took.toMillis() / 1000.0,
                probes / (took.toNanos() / 1e9));
    }
}
