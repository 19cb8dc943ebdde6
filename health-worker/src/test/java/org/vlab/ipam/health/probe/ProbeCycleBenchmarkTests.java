package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.health.targets.ProbeTarget;
import org.vlab.ipam.health.testing.LabUplink;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.NetworkLab;

/**
 * The ICMP part of one probe cycle over 1,000 addresses, half of them alive, against its
 * baseline in the same run: {@code fping} itself over the same 1,000 in one process, with the
 * same arguments (echoes, spacing, send interval, timeout). The worker runs its real probers
 * through the runner at the default concurrency, in chunks (the default size and others) and
 * as before (one fping per address). The live addresses are local to a namespace routed from
 * the root namespace; the dead ones are routed into it and dropped silently (it does not
 * forward). Rounds are interleaved; the median is reported. Runs only when asked:
 *
 * <pre>bench/probe.sh</pre>
 *
 * The table is printed and written to {@code target/benchmarks/probe-cycle.md}.
 */
@NetnsTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ProbeCycleBenchmarkTests {

    private static final int TARGETS = 1000;
    private static final int ECHOES = 1;
    private static final int CONCURRENCY = 64;
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final Duration TIMEOUT = Duration.ofMillis(Long.getLong("benchmark.timeout-ms", 500));

    @Test
    void chunkedFpingRunsAgainstOneFpingOverEveryAddress() throws Exception {
        String net = "10." + ThreadLocalRandom.current().nextInt(200, 250);
        List<ProbeTarget> targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            // even addresses in net.0.0/23 (alive), odd ones in net.2.0/23 (dead)
            int block = i % 2 == 0 ? 0 : 2;
            int n = i / 2 + 1;
            targets.add(new ProbeTarget(LabAddress.of(net + "." + (block + n / 256) + "." + (n % 256)), List.of()));
        }
        FpingIcmpProber icmp = new FpingIcmpProber("fping", new OsProcessRunner(), ECHOES, TIMEOUT);
        Map<String, List<Duration>> rounds = new LinkedHashMap<>();
        try (NetworkLab lab = new NetworkLab()) {
            String sink = lab.namespace("sink");
            lab.exec(sink, "ip", "link", "set", "lo", "up");
            lab.exec(sink, "ip", "route", "add", "local", net + ".0.0/23", "dev", "lo");
            try (LabUplink uplink = LabUplink.open(sink, net + ".255.1/30", net + ".255.2/30", net + ".0.0/22")) {
                List<Ipv4Address> addresses = targets.stream().map(target -> target.address().address()).toList();
                fping(icmp, addresses); // warm-up: ARP, caches
                for (int round = 0; round < ROUNDS; round++) {
                    rounds.computeIfAbsent("`fping` itself, one process over the 1,000", k -> new ArrayList<>())
                            .add(fping(icmp, addresses));
                    for (int chunk : new int[] {256, 64, 1000}) {
                        rounds.computeIfAbsent("worker, chunks of " + chunk + (chunk == 256 ? " (default)" : ""),
                                k -> new ArrayList<>()).add(cycle(icmp, targets, chunk));
                    }
                    rounds.computeIfAbsent("worker, one fping per address (before)", k -> new ArrayList<>())
                            .add(cycle(icmp, targets, 1));
                }
            }
        }
        Duration baseline = median(rounds.get("`fping` itself, one process over the 1,000"));
        List<String> rows = new ArrayList<>();
        rows.add("| approach | wall time (median) | × fping itself | rounds |");
        rows.add("|---|---|---|---|");
        rounds.forEach((approach, times) -> rows.add(String.format("| %s | %.2f s | %.2f | %s |", approach,
                median(times).toMillis() / 1000.0, median(times).toNanos() / (double) baseline.toNanos(),
                times.stream().map(time -> String.format("%.2f", time.toMillis() / 1000.0)).toList())));
        String table = String.join("\n", rows) + "\n\n" + TARGETS + " addresses, half alive, " + ECHOES
                + " echo each, timeout " + TIMEOUT.toMillis() + " ms, send interval "
                + FpingIcmpProber.SEND_INTERVAL.toMillis() + " ms, probe concurrency " + CONCURRENCY + "; median of "
                + ROUNDS + " interleaved rounds; " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + "; load average "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "\n";
        System.out.println(table);
        Path report = Path.of("target", "benchmarks", "probe-cycle.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
    }

    /** fping over all addresses in one process, as the prober's command would run it, timed from Java. */
    private static Duration fping(FpingIcmpProber icmp, List<Ipv4Address> addresses) throws IOException,
            InterruptedException {
        long started = System.nanoTime();
        ProcessRunner.Result result = new OsProcessRunner().run(icmp.command(addresses),
                icmp.deadline(addresses.size()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(result.exitCode()).as("some targets are dead").isEqualTo(1);
        assertAliveHalf(FpingReport.read(result.output()), addresses);
        return took;
    }

    private static Duration cycle(IcmpProber icmp, List<ProbeTarget> targets, int chunk) {
        try (ProbeRunner runner = new ProbeRunner(icmp, (address, port) -> {
            throw new AssertionError("no port is mapped");
        }, CONCURRENCY, chunk)) {
            long started = System.nanoTime();
            List<AddressProbes> results = runner.probeAll(targets).stream().map(CompletableFuture::join).toList();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).icmp().outcome()).as(results.get(i).address().toString())
                        .isEqualTo(i % 2 == 0 ? ProbeOutcome.ANSWERED : ProbeOutcome.TIMED_OUT);
            }
            return took;
        }
    }

    private static void assertAliveHalf(FpingReport report, List<Ipv4Address> addresses) {
        for (int i = 0; i < addresses.size(); i++) {
            assertThat(report.probe(addresses.get(i).toString()).outcome())
                    .isEqualTo(i % 2 == 0 ? ProbeOutcome.ANSWERED : ProbeOutcome.TIMED_OUT);
        }
    }

    private static Duration median(List<Duration> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
