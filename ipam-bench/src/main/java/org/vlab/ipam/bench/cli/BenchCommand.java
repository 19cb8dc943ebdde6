package org.vlab.ipam.bench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.vlab.ipam.bench.broker.BrokerRoundTrips;
import org.vlab.ipam.bench.fleet.FleetAgents;
import org.vlab.ipam.bench.jit.CompilerActivity;
import org.vlab.ipam.bench.jit.SettlingWarmUp;
import org.vlab.ipam.bench.load.CreateDeleteCycles;
import org.vlab.ipam.bench.load.HealthChecks;
import org.vlab.ipam.bench.load.InFlightRun;
import org.vlab.ipam.bench.load.Operation;
import org.vlab.ipam.bench.load.RestChurn;
import org.vlab.ipam.bench.load.RestCreates;
import org.vlab.ipam.bench.redis.RedisScriptCalls;
import org.vlab.ipam.bench.stats.RunSummary;
import org.vlab.ipam.domain.GatewayId;

/**
 * Starts the fleet (for {@code fleet} and {@code broker}), registers its gateways with one
 * heartbeat each (for {@code fleet}), then for each concurrency runs a warm-up (not reported)
 * and a measured run, printing one markdown table row per measured run on stdout; progress
 * goes to stderr. {@code cycles} prints two rows per gateway, its creates' and its deletes'.
 */
public final class BenchCommand {

    private BenchCommand() {
    }

    public static void main(String[] args) throws InterruptedException {
        BenchArguments arguments;
        try {
            arguments = BenchArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ipam-bench: " + e.getMessage());
            System.err.println(BenchArguments.USAGE);
            System.exit(2);
            return;
        }
        try {
            run(arguments);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(BenchArguments arguments) throws InterruptedException {
        if (arguments.mode() == BenchArguments.Mode.CYCLES) {
            try (CreateDeleteCycles cycles = new CreateDeleteCycles(arguments.apis().get(0), arguments.realGateways(),
                    arguments.token(), tag())) {
                cycles.run(arguments.label(), arguments.warmup(), arguments.creates())
                        .forEach(summary -> report(summary, true));
            }
            return;
        }
        List<GatewayId> gateways = arguments.mode().realGateway() ? arguments.realGateways()
                : FleetAgents.gatewayIds("bench", arguments.gateways());
        if (arguments.mode() == BenchArguments.Mode.REDIS || arguments.mode().realGateway()) {
            measure(arguments, gateways, null);
            return;
        }
        long started = System.nanoTime();
        try (FleetAgents fleet = FleetAgents.start(arguments.broker(), gateways, arguments.channels())) {
            if (arguments.mode() == BenchArguments.Mode.FLEET) {
                fleet.heartbeats();
            }
            progress("fleet of %d gateways on %s ready in %.1f s", gateways.size(), arguments.broker(),
                    (System.nanoTime() - started) / 1e9);
            measure(arguments, gateways, fleet);
            progress("fleet answered %d commands, %d unanswered", fleet.answered(), fleet.unanswered());
        }
    }

    /**
     * For each concurrency: a warm-up (in rounds until the watched processes' compilers settle,
     * when some are named), then the measured run, printed, and what the watched processes'
     * CPU did during it. Every operation gets its own index, warm-up rounds included, so names
     * never repeat.
     */
    private static void measure(BenchArguments arguments, List<GatewayId> gateways, FleetAgents fleet)
            throws InterruptedException {
        CompilerActivity watched = arguments.settlePids().isEmpty() ? null
                : new CompilerActivity(Path.of("/proc"), arguments.settlePids());
        int generationBase = 0;
        for (int inFlight : arguments.inFlight()) {
            String tag = tag();
            try (Operation operation = operation(arguments, gateways, fleet, tag, generationBase, inFlight)) {
                int warmedUp = arguments.warmup() > 0 ? warmUp(arguments, watched, inFlight, operation) : 0;
                CompilerActivity.Ticks before = watched == null ? null : watched.read();
                report(InFlightRun.run(arguments.label(), inFlight, arguments.creates(),
                        index -> operation.start(warmedUp + index), arguments.timeoutSeconds()), true);
                if (watched != null) {
                    CompilerActivity.Ticks after = watched.read();
                    // one line a script can find: the watched processes' CPU during the measured run
                    progress("measured in_flight=%d operations=%d cpu_s=%.2f compilers_s=%.2f", inFlight,
                            arguments.creates(), CompilerActivity.seconds(after.total() - before.total()),
                            CompilerActivity.seconds(after.compilers() - before.compilers()));
                }
                generationBase += warmedUp + arguments.creates();
            }
        }
    }

    /** Runs the warm-up rounds; returns how many operations they started. */
    private static int warmUp(BenchArguments arguments, CompilerActivity watched, int inFlight, Operation operation)
            throws InterruptedException {
        int size = arguments.warmup();
        SettlingWarmUp.Outcome outcome = new SettlingWarmUp(watched, arguments.settlePercent(),
                arguments.warmupRounds()).run(round -> report(InFlightRun.run("warm-up", inFlight, size,
                        index -> operation.start(round * size + index), arguments.timeoutSeconds()), false));
        if (watched != null) {
            // one line a script can find: the warm-up's length and the compilers' share in its last round
            progress("warm-up settled=%s rounds=%d operations=%d compilers_percent=%.1f pids=%s", outcome.settled(),
                    outcome.rounds(), outcome.rounds() * size, outcome.lastCompilerPercent(), arguments.settlePids());
        }
        return outcome.rounds() * size;
    }

    private static Operation operation(BenchArguments arguments, List<GatewayId> gateways, FleetAgents fleet,
            String tag, int generationBase, int inFlight) {
        BenchArguments.RedisTarget redis = arguments.redis();
        return switch (arguments.mode()) {
            case FLEET, CREATES -> new RestCreates(arguments.apis(), gateways, arguments.token(), tag, inFlight);
            case CHURN -> new RestChurn(arguments.apis().get(0), gateways, arguments.token(), tag, inFlight);
            case HEALTHCHECK -> new HealthChecks(arguments.apis().get(0), inFlight);
            case CYCLES -> throw new IllegalStateException("cycles run one at a time, not as operations");
            case BROKER -> BrokerRoundTrips.open(fleet, generationBase);
            case REDIS -> new RedisScriptCalls(redis.host(), redis.port(), redis.keyPrefix(), redis.scripts(), gateways,
                    redis.portMin(), redis.portMax());
        };
    }

    /** A tag for the names of one run's mappings, so runs never collide on a name. */
    private static String tag() {
        return "b" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void report(RunSummary summary, boolean measured) {
        progress("%s %s", measured ? "measured" : "warm-up ", summary.markdownRow());
        if (measured) {
            System.out.println(summary.markdownRow());
            System.out.flush();
        }
    }

    private static void progress(String format, Object... values) {
        System.err.printf(java.util.Locale.ROOT, "[ipam-bench] " + format + "%n", values);
    }
}
