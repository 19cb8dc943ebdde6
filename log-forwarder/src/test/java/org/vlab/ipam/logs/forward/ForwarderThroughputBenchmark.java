package org.vlab.ipam.logs.forward;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Address;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.logs.SampleLines;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.LocalLogFiles;
import org.vlab.ipam.logs.tail.LogTailer;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * Throughput of the forwarder (tail, parse, batch, publish with confirms, checkpoint with
 * fsync), from a log already written to the last batch confirmed, against its baseline in the
 * same run, on the same broker and queue (the central quorum queue, as deployed): the same
 * batches, parsed beforehand, published with a bare RabbitTemplate with as many in flight (no
 * tailing, parsing or checkpointing). Both also with one batch in flight, as the forwarder was
 * before. The forwarder reads ahead as deployed (two windows' worth);
 * {@code -DargLine=-Dbench.readAhead=0} measures it reading on the forwarding thread instead.
 * Not part of the build; {@code bench/logs.sh} runs it and prints its section.
 */
@IntegrationTest
class ForwarderThroughputBenchmark {

    private static final GatewayId GATEWAY = GatewayId.of("alice");
    private static final int LINES = 200_000;
    /** As deployed ({@code IPAM_BATCHES_IN_FLIGHT}); {@code -DargLine=-Dbench.inFlight=16} measures a wider window for both. */
    private static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 8);
    private static final int BATCH = 500;
    /** Rounds differ by a third on a shared machine: 21 make the median ratio move by a few points between runs, 7 by ten. */
    private static final int ROUNDS = 21;
    private static final int WARM_UP_ROUNDS = 6;
    private static final String FORWARDER = "forwarder, " + IN_FLIGHT + " batches in flight";
    private static final String BARE = "bare publisher, same batches, " + IN_FLIGHT + " in flight";
    private static final String ROUTING_KEY = Topology.gatewayRoutingKey(GATEWAY, "forward");

    @TempDir
    Path directory;

    @Test
    void measure(TestVhost vhost) throws Exception {
        CachingConnectionFactory connections = vhost.connectionFactory();
        RabbitAdmin admin = new RabbitAdmin(connections);
        IpamTopology.declare(admin, IpamTopology.exchanges());
        IpamTopology.declare(admin, IpamTopology.queue(Topology.CENTRAL_LOG_QUEUE, Topology.LOGS_EXCHANGE,
                Topology.anyGatewayPattern("forward")));
        Path log = writeLog(directory.resolve("firewall.log"), LINES);
        double mebibytes = Files.size(log) / (1024.0 * 1024.0);
        List<Batch> batches = parsedBatches(LINES);

        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        for (int warmUp = 0; warmUp < WARM_UP_ROUNDS; warmUp++) {
            forwarder(connections, admin, log, IN_FLIGHT, "warm-up-" + warmUp);
            rawBatches(connections, admin, batches, IN_FLIGHT);
        }
        Map<String, List<RunCost>> runs = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            String suffix = "-" + round;
            run(runs, FORWARDER, () -> forwarder(connections, admin, log, IN_FLIGHT, "round" + suffix));
            run(runs, BARE, () -> rawBatches(connections, admin, batches, IN_FLIGHT));
            run(runs, "forwarder, 1 batch in flight", () -> forwarder(connections, admin, log, 1, "one" + suffix));
            run(runs, "bare publisher, same batches, confirm per batch", () -> rawBatches(connections, admin, batches, 1));
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

        System.out.printf("[benchmark] %d CPUs, %s, Java %s; RabbitMQ %s; load average before %s, after %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"), System.getProperty("java.version"),
                admin.getRabbitTemplate().execute(channel -> channel.getConnection().getServerProperties()
                        .get("version").toString()), loadBefore, loadAfter);
        System.out.printf("[benchmark] %,d lines of %d bytes (%.1f MiB), batches of %d, into the central quorum queue; "
                + "%d interleaved rounds after %d to warm up; rates are medians, ratios the median of each round's "
                + "ratio to the bare publisher's run in the same round%n", LINES, SampleLines.line(0).length() + 1,
                mebibytes, BATCH, ROUNDS, WARM_UP_ROUNDS);
        List<Double> bare = rates(runs.get(BARE));
        System.out.println("[benchmark] | path | lines/s | MiB/s of log | of the bare publisher (" + IN_FLIGHT
                + " in flight) | rounds (lines/s) |");
        System.out.println("[benchmark] |---|---|---|---|---|");
        runs.forEach((path, costs) -> {
            List<Double> rates = rates(costs);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < rates.size(); i++) {
                ratios.add(rates.get(i) / bare.get(i));
            }
            System.out.printf("[benchmark] | %s | %,.0f | %.1f | %.0f %% | %s |%n", path, median(rates),
                    median(rates) / LINES * mebibytes, 100 * median(ratios), rounded(rates));
        });
        long linesMeasured = (long) LINES * ROUNDS;
        System.out.println("[cpu] | path | this JVM, µs per line | rest of the machine (broker), µs per line "
                + "| machine busy | checkpoint writes: ms each, share of the time |");
        System.out.println("[cpu] |---|---|---|---|---|");
        runs.forEach((path, costs) -> {
            RunCost cost = costs.stream().reduce(RunCost::plus).orElseThrow();
            System.out.printf("[cpu] | %s | %.2f | %.2f | %.0f %% | %s |%n", path, cost.jvmMicrosPer(linesMeasured),
                    cost.restMicrosPer(linesMeasured), cost.machineBusyPercent(), cost.checkpointWrites() == 0 ? "-"
                            : String.format("%.2f ms, %.0f %%", cost.millisPerCheckpoint(), cost.checkpointPercent()));
        });
    }

    private static List<Double> rates(List<RunCost> costs) {
        return costs.stream().map(cost -> LINES / (cost.wallNanos() / 1e9)).toList();
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    /** One run of a path: what it cost from its first line to its last confirm. */
    @FunctionalInterface
    private interface Run {
        RunCost measure() throws Exception;
    }

    private static void run(Map<String, List<RunCost>> runs, String path, Run run) throws Exception {
        RunCost.awaitQuietMachine();
        runs.computeIfAbsent(path, k -> new ArrayList<>()).add(run.measure());
    }

    /** The whole forwarder, from a log already written to the last record confirmed. */
    private RunCost forwarder(CachingConnectionFactory connections, RabbitAdmin admin, Path log, int inFlight,
            String name) throws Exception {
        Path dir = Files.createDirectories(directory.resolve(name));
        int lines = LINES;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TimedCheckpoints checkpoints = new TimedCheckpoints(new FileCheckpointStore(dir.resolve("state"), log));
        ForwarderMetrics metrics = new ForwarderMetrics(meters);
        Clock clock = Clock.systemUTC();
        LogForwarder forwarder = new LogForwarder(
                checkpoint -> new TailedLines(new LogTailer(new LocalLogFiles(), log, clock, Duration.ofMillis(20),
                        Duration.ofSeconds(5), checkpoint.map(Checkpoint::file).orElse(null),
                        checkpoint.map(Checkpoint::offset).orElse(0L))),
                new FirewallLineParser(GATEWAY, ZoneOffset.UTC, clock),
                new OneChannelPublisher(connections.getRabbitConnectionFactory(), List.of(new Address(
                        connections.getHost(), connections.getPort())), "benchmark", Duration.ofSeconds(10),
                        connections::createConnection),
                checkpoints, GATEWAY,
                new BatchSettings(BATCH, Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(200),
                        Duration.ofSeconds(1), inFlight, Integer.getInteger("bench.readAhead", 2 * inFlight)), clock,
                Pause.SLEEP, metrics);
        Thread thread = new Thread(() -> {
            try {
                forwarder.run();
            } catch (InterruptedException e) {
                // measured
            }
        });
        RunCost start = RunCost.now();
        thread.start();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> meters.counter("ipam.logs.records.published").count() >= lines);
        RunCost span = start.until(RunCost.now()).withCheckpoints(checkpoints.saves(), checkpoints.nanos());
        thread.interrupt();
        thread.join();
        admin.purgeQueue(Topology.CENTRAL_LOG_QUEUE, false);
        return span;
    }

    /** The log's batches, parsed beforehand, as the forwarder cuts them. */
    private static List<Batch> parsedBatches(int lines) {
        FirewallLineParser parser = new FirewallLineParser(GATEWAY, ZoneOffset.UTC, Clock.systemUTC());
        List<Batch> batches = new ArrayList<>();
        FileIdentity file = new FileIdentity("0:1", "0123456789abcdef");
        long offset = 0;
        for (int from = 0; from < lines; from += BATCH) {
            List<FirewallLogRecord> records = new ArrayList<>();
            long start = offset;
            for (int n = from; n < Math.min(lines, from + BATCH); n++) {
                String line = SampleLines.line(n);
                records.add(parser.parse(line).record());
                offset += line.length() + 1;
            }
            batches.add(new Batch(file, start, offset, records, records.size()));
        }
        return batches;
    }

    /**
     * The same batches written as JSON and published in order with a bare RabbitTemplate, with
     * at most {@code inFlight} unconfirmed (the oldest confirm awaited when the window is full).
     */
    private RunCost rawBatches(CachingConnectionFactory connections, RabbitAdmin admin, List<Batch> batches,
            int inFlight) throws Exception {
        IpamMessageConverter converter = new IpamMessageConverter();
        RabbitTemplate template = new RabbitTemplate(connections);
        java.util.ArrayDeque<CorrelationData> window = new java.util.ArrayDeque<>();
        RunCost start = RunCost.now();
        for (Batch batch : batches) {
            MessageProperties properties = new MessageProperties();
            properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
            properties.setMessageId(batch.messageId());
            Message message = converter.toMessage(batch.message(GATEWAY), properties);
            CorrelationData correlation = new CorrelationData();
            template.send(Topology.LOGS_EXCHANGE, ROUTING_KEY, message, correlation);
            window.addLast(correlation);
            while (window.size() >= inFlight) {
                awaitAck(window.removeFirst());
            }
        }
        while (!window.isEmpty()) {
            awaitAck(window.removeFirst());
        }
        RunCost span = start.until(RunCost.now());
        admin.purgeQueue(Topology.CENTRAL_LOG_QUEUE, false);
        return span;
    }

    private static void awaitAck(CorrelationData correlation) throws Exception {
        if (!correlation.getFuture().get(10, TimeUnit.SECONDS).ack()) {
            throw new IllegalStateException("nack");
        }
    }

    private static Path writeLog(Path log, int lines) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int n = 0; n < lines; n++) {
                writer.write(SampleLines.line(n));
                writer.write('\n');
            }
        }
        return log;
    }
}
