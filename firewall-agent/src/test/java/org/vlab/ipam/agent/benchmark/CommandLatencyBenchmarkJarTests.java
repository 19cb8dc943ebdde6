package org.vlab.ipam.agent.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.testing.AgentOnGateway;
import org.vlab.ipam.agent.testing.ApiStandIn;
import org.vlab.ipam.agent.testing.GatewayLab;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * Command to answer, measured from the API's side: the agent jar in a gateway namespace, the
 * real broker, real iptables. One change at a time with 10 and with about 1,000 mappings on
 * the gateway, 1,000 creates with 32 in flight, and the baselines of {@link RestoreBaselines}
 * and {@link StreamBaselines} in the same run. Runs only with {@code -Dbenchmark=true} (bench/agent.sh); the table goes to
 * {@code target/benchmarks/firewall-agent.md}. Nothing about speed is asserted.
 */
@NetnsTest
@IntegrationTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class CommandLatencyBenchmarkJarTests {

    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 100);
    /** {@code -Dbenchmark.backend=nftables} measures the nftables backend instead of iptables. */
    private static final boolean NFTABLES = "nftables".equals(System.getProperty("benchmark.backend"));
    /**
     * Rounds before each latency row, unmeasured: with 20, the row with 10 mappings (the agent's
     * first 40 commands after its start) measured the JIT compiling the path, 14 ms p50 against
     * 8.6 ms for the row after the 1,000 creates.
     */
    private static final int WARM_UP = 300;
    /**
     * Before those: rounds of {@value #IN_FLIGHT} creates and then their removals, all in flight,
     * on ports of their own, so the agent's whole path is compiled before the first row while
     * the gateway keeps its 10 mappings. 300 rounds one at a time alone left the row with 10
     * mappings (measured first) at 8.5 ms p50 against 6.9 ms for the row with 1,010, measured
     * after the burst (2026-12-06).
     */
    private static final int CHURN_ROUNDS = 100;
    private static final int CREATES = 1000;
    private static final int IN_FLIGHT = 32;
    private static final int LAB_PORT = 8022;
    private static final PortMapTarget TARGET = AgentOnGateway.labTarget(LAB_PORT);

    /** The answer each port's outstanding change waits for, completed with the time it arrived. */
    private final Map<Integer, CompletableFuture<Long>> answers = new ConcurrentHashMap<>();
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ApiStandIn api;

    @Test
    void commandToAnswerWithTenAndAThousandMappingsAndAThousandCreates(TestVhost vhost) throws Exception {
        StringBuilder table = new StringBuilder();
        try (AgentOnGateway lab = AgentOnGateway.start(vhost, Map.of("VLAB_PORT_MIN", "50000", "VLAB_PORT_MAX", "59999",
                "IPAM_RECONCILE_PERIOD", "10m", "IPAM_FIREWALL_BACKEND", NFTABLES ? "nftables" : "iptables"), api -> {
                    for (int port = 50000; port < 50010; port++) {
                        api.recordApplied(port, TARGET);
                    }
                }, LAB_PORT)) {
            api = lab.api();
            api.onEvent(this::answered);
            GatewayLab gateway = lab.gateway();
            ServiceProcess agent = lab.agent();
            await().atMost(Duration.ofSeconds(60)).until(() -> transactions(agent) > 0);
            List<Integer> churned = new ArrayList<>();
            for (int port = 59900; port < 59900 + IN_FLIGHT; port++) {
                churned.add(port);
            }
            for (int round = 0; round < CHURN_ROUNDS; round++) {
                concurrentChanges(churned, TARGET, MappingState.PENDING);
                concurrentChanges(churned, null, MappingState.REMOVING);
            }
            sequential(50050, WARM_UP);
            Timings[] few = sequential(50050, ROUNDS);

            long transactionsBefore = transactions(agent);
            long burst = concurrentChanges(spread(CREATES), TARGET, MappingState.PENDING);
            long transactions = transactions(agent) - transactionsBefore;
            int mappings = api.desired().size();
            sequential(50051, WARM_UP);
            Timings[] many = sequential(50051, ROUNDS);
            assertThat(failures).as("failed answers").isEmpty();
            assertThat(gateway.clientReachesLab(spread(CREATES).get(CREATES - 1))).as("the last create forwards").isTrue();

            table.append("| path | mappings on the gateway | samples | p50 | p99 |\n|---|---|---|---|---|\n");
            row(table, "agent: one create, command → answer", 10, few[0]);
            row(table, "agent: one remove, command → answer", 10, few[1]);
            row(table, "agent: one create, command → answer", mappings, many[0]);
            row(table, "agent: one remove, command → answer", mappings, many[1]);
            table.append(String.format(Locale.ROOT, "| of which the firewall transaction (syncs of changes, creates and removes "
                    + "alike; `ipam_agent_firewall_transaction_seconds`, its last 2 minutes) | %d | | %s | %s |%n", mappings,
                    quantile(agent, "0.5"), quantile(agent, "0.99")));
            table.append(String.format(Locale.ROOT, "%n| path | mappings | wall time | maps/s | transactions |%n"
                    + "|---|---|---|---|---|%n| agent: %d creates, %d in flight, command → last answer | 10 → %d "
                    + "| %.2f s | %.0f | %d |%n", CREATES, IN_FLIGHT, mappings, burst / 1e9,
                    CREATES / (burst / 1e9), transactions));
        }
        baselines(table);
        table.append(StreamBaselines.table(NFTABLES, ROUNDS));
        System.out.println("[benchmark]\n" + table);
        Path file = Path.of("target", "benchmarks", "firewall-agent.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, table.toString());
    }

    private static final String IPTABLES_BASELINES = "%n| baseline (1,000 mappings, 3,000 rules; each program through "
            + "`ip netns exec`) | runs | p50 |%n|---|---|---|%n"
            + "| `ip netns exec <ns> true` alone | %d | %s |%n"
            + "| naive: one `iptables -A` per rule, 3,000 processes | 1 | %.1f s |%n"
            + "| one iptables-restore of all 1,000 mappings | %d | %s |%n"
            + "| old per-change path: iptables-save of nat and filter, then a full restore | %d | %s |%n"
            + "| new per-change path: iptables-restore deleting one mapping's rules by their text | %d | %s |%n"
            + "| new per-change path: iptables-restore appending one mapping's rules | %d | %s |%n";
    private static final String NFT_BASELINES = "%n| baseline, nftables (1,000 mappings: 2,000 elements and 1,000 log "
            + "rules; each program through `ip netns exec`) | runs | p50 |%n|---|---|---|%n"
            + "| `ip netns exec <ns> true` alone | %d | %s |%n"
            + "%.0s"
            + "| one `nft -f` replacing the table with all 1,000 mappings (after `nft -j` read back) | %d | %s |%n"
            + "| full sync: `nft -j list table`, then the table replaced without one mapping | %d | %s |%n"
            + "| per-change path: `nft -f` deleting one mapping's elements (its log rule stays) | %d | %s |%n"
            + "| per-change path: `nft -f` adding them again (the log rule is there) | %d | %s |%n";

    private void answered(IpamMessage event) {
        int port = event instanceof PortMapApplied applied ? applied.connPort().value()
                : event instanceof PortMapRemoved removed ? removed.connPort().value()
                : event instanceof PortMapFailed failed ? failed.connPort().value() : -1;
        if (event instanceof PortMapFailed failed) {
            failures.add(failed.connPort() + ": " + failed.reason());
        }
        CompletableFuture<Long> waiting = answers.remove(port);
        if (waiting != null) {
            waiting.complete(System.nanoTime());
        }
    }

    private void baselines(StringBuilder table) {
        List<ForwardedPort> thousand = new ArrayList<>();
        for (int port = 50000; port < 50000 + CREATES; port++) {
            thousand.add(ForwardedPort.of(ConnPort.of(port), TARGET));
        }
        try (RestoreBaselines baselines = new RestoreBaselines(NFTABLES)) {
            Timings entry = baselines.namespaceEntry(20);
            long naive = NFTABLES ? 0 : baselines.naiveAppends(thousand);
            Timings full = baselines.fullRestore(thousand, 10);
            Timings old = baselines.readBackAndFullRestore(thousand, 10);
            Timings[] change = baselines.changeRestores(thousand, 10);
            Timings conntrack = baselines.conntrackDeletion(thousand.get(0), 10);
            table.append(String.format(Locale.ROOT, (NFTABLES ? NFT_BASELINES : IPTABLES_BASELINES)
                    + "| a removal's clean-up: one `conntrack -D` | %d | %s |%n",
                    entry.count(), Timings.millis(entry.percentileMillis(50)), naive / 1e9, full.count(),
                    Timings.millis(full.percentileMillis(50)), old.count(), Timings.millis(old.percentileMillis(50)),
                    change[0].count(), Timings.millis(change[0].percentileMillis(50)), change[1].count(),
                    Timings.millis(change[1].percentileMillis(50)), conntrack.count(),
                    Timings.millis(conntrack.percentileMillis(50))));
        }
    }

    /** {@code rounds} times: create {@code port}, wait for its answer, remove it, wait; returns creates' and removes' timings. */
    private Timings[] sequential(int port, int rounds) {
        Timings creates = new Timings();
        Timings removes = new Timings();
        for (int i = 0; i < rounds; i++) {
            creates.add(change(port, TARGET, MappingState.PENDING).join());
            removes.add(change(port, null, MappingState.REMOVING).join());
        }
        return new Timings[] {creates, removes};
    }

    /** Publishes one change; the future completes with the time from publishing to its answer. */
    private CompletableFuture<Long> change(int port, PortMapTarget target, MappingState state) {
        CompletableFuture<Long> answered = new CompletableFuture<>();
        answers.put(port, answered);
        long start = System.nanoTime();
        api.publish(port, target, state);
        return answered.orTimeout(60, TimeUnit.SECONDS).thenApply(at -> at - start);
    }

    /**
     * {@code count} connection ports spread over 50100–59999 as the API's random allocation
     * spreads them (a stride of 37, prime to the 9,900 ports, so none repeats), about 10 to each
     * block chain of 100 ports: the burst's mappings then weigh on the kernel's tables as a
     * gateway's do. Until 2026-12-06 they were 1,000 consecutive ports in 10 full blocks.
     */
    private static List<Integer> spread(int count) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(50100 + i * 37 % 9900);
        }
        return ports;
    }

    /**
     * Publishes a change to each of {@code ports} (a create of {@code target}, or a removal when
     * null), {@value #IN_FLIGHT} in flight; returns the wall time.
     */
    private long concurrentChanges(List<Integer> ports, PortMapTarget target, MappingState state)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Long>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int port : ports) {
            inFlight.acquire();
            all.add(change(port, target, state).whenComplete((took, failure) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return System.nanoTime() - start;
    }

    /** The agent's own quantile of its sync-of-changes transactions, as its metrics endpoint reports it. */
    private static String quantile(ServiceProcess agent, String quantile) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(agent.uri("/actuator/prometheus"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("ipam_agent_firewall_transaction_seconds{")
                        && line.contains("kind=\"changes\"") && line.contains("outcome=\"ok\"")
                        && line.contains("quantile=\"" + quantile + "\""))
                .map(line -> String.format(Locale.ROOT, "%.1f ms",
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000))
                .findFirst().orElse("?");
    }

    private static long transactions(ServiceProcess agent) {
        return agent.outputLines().stream().filter(line -> line.contains(" transaction ") && line.contains(" committed"))
                .count();
    }

    private static void row(StringBuilder table, String path, int mappings, Timings timings) {
        table.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s |%n", path, mappings, timings.count(),
                Timings.millis(timings.percentileMillis(50)), Timings.millis(timings.percentileMillis(99))));
    }
}
