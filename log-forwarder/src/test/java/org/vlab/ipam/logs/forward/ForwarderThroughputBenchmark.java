package org.vlab.ipam.logs.forward;

import static org.awaitility.Awaitility.await;

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
import java.util.List;
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
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * Throughput of the forwarder (tail, parse, batch, publish with confirms, checkpoint with
 * fsync) against baselines measured in the same run, on the same broker and queue (the
 * central quorum queue, as deployed): the same batches published with a bare RabbitTemplate
 * (no tailing, parsing or checkpointing), and one message per line as the old sender did,
 * with each confirm awaited and with confirms only awaited at the end. Not part of the build;
 * run it with
 * {@code ./mvnw -B -o -pl log-forwarder test -Dtest=ForwarderThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read the numbers in {@code target/surefire-reports/*ForwarderThroughputBenchmark-output.txt}.
 */
@IntegrationTest
class ForwarderThroughputBenchmark {

    private static final GatewayId GATEWAY = GatewayId.of("alice");
    private static final int LINES = 200_000;
    private static final int PER_LINE_LINES = 20_000;
    private static final int BATCH = 500;
    private static final int ROUNDS = 3;
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

        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        forwarder(connections, admin, 50_000, "warm-up");
        rawBatches(connections, admin, 50_000);
        List<Double> forwarder = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            forwarder.add(forwarder(connections, admin, LINES, "round-" + round));
            raw.add(rawBatches(connections, admin, LINES));
        }
        double perLineAwaited = perLine(connections, admin, PER_LINE_LINES, true);
        double perLinePipelined = perLine(connections, admin, PER_LINE_LINES, false);
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

        System.out.printf("[benchmark] %d CPUs, %s, Java %s; RabbitMQ %s; load average before %s, after %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"), System.getProperty("java.version"),
                admin.getRabbitTemplate().execute(channel -> channel.getConnection().getServerProperties()
                        .get("version").toString()), loadBefore, loadAfter);
        System.out.printf("[benchmark] %d lines of %d bytes, batches of %d, into the central quorum queue; "
                + "median of %d rounds (all rounds)%n", LINES, SampleLines.line(0).length() + 1, BATCH, ROUNDS, ROUNDS);
        System.out.printf("[benchmark] forwarder (tail, parse, batch, publish, confirm, fsync'd checkpoint): "
                + "%,.0f lines/s %s%n", median(forwarder), rounded(forwarder));
        System.out.printf("[benchmark] baseline, the same batches already parsed, bare RabbitTemplate, confirm per "
                + "batch: %,.0f lines/s %s%n", median(raw), rounded(raw));
        System.out.printf("[benchmark] baseline, one message per line (%d lines), each confirm awaited: "
                + "%,.0f lines/s%n", PER_LINE_LINES, perLineAwaited);
        System.out.printf("[benchmark] baseline, one message per line (%d lines), confirms awaited at the end: "
                + "%,.0f lines/s%n", PER_LINE_LINES, perLinePipelined);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    /** Lines per second through the whole forwarder, from a log already written to the last record confirmed. */
    private double forwarder(CachingConnectionFactory connections, RabbitAdmin admin, int lines, String name)
            throws Exception {
        Path dir = Files.createDirectories(directory.resolve(name));
        Path log = writeLog(dir.resolve("firewall.log"), lines);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ForwarderMetrics metrics = new ForwarderMetrics(meters);
        Clock clock = Clock.systemUTC();
        LogForwarder forwarder = new LogForwarder(
                checkpoint -> new TailedLines(new LogTailer(new LocalLogFiles(), log, clock, Duration.ofMillis(20),
                        Duration.ofSeconds(5), checkpoint.map(Checkpoint::file).orElse(null),
                        checkpoint.map(Checkpoint::offset).orElse(0L))),
                new FirewallLineParser(GATEWAY, ZoneOffset.UTC, clock),
                new ConfirmingPublisher(connections, "benchmark", Duration.ofSeconds(10)),
                new FileCheckpointStore(dir.resolve("state"), log), GATEWAY,
                new BatchSettings(BATCH, Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(200),
                        Duration.ofSeconds(1)), clock, Pause.SLEEP, metrics);
        Thread thread = new Thread(() -> {
            try {
                forwarder.run();
            } catch (InterruptedException e) {
                // measured
            }
        });
        long start = System.nanoTime();
        thread.start();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> meters.counter("ipam.logs.records.published").count() >= lines);
        long elapsed = System.nanoTime() - start;
        thread.interrupt();
        thread.join();
        admin.purgeQueue(Topology.CENTRAL_LOG_QUEUE, false);
        return lines / (elapsed / 1e9);
    }

    /** The same batches, parsed beforehand, written as JSON and published one after another with a bare RabbitTemplate, awaiting each confirm. */
    private double rawBatches(CachingConnectionFactory connections, RabbitAdmin admin, int lines) throws Exception {
        FirewallLineParser parser = new FirewallLineParser(GATEWAY, ZoneOffset.UTC, Clock.systemUTC());
        IpamMessageConverter converter = new IpamMessageConverter();
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
        RabbitTemplate template = new RabbitTemplate(connections);
        long begin = System.nanoTime();
        for (Batch batch : batches) {
            MessageProperties properties = new MessageProperties();
            properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
            properties.setMessageId(batch.messageId());
            Message message = converter.toMessage(batch.message(GATEWAY), properties);
            CorrelationData correlation = new CorrelationData();
            template.send(Topology.LOGS_EXCHANGE, ROUTING_KEY, message, correlation);
            if (!correlation.getFuture().get(10, TimeUnit.SECONDS).ack()) {
                throw new IllegalStateException("nack");
            }
        }
        long elapsed = System.nanoTime() - begin;
        admin.purgeQueue(Topology.CENTRAL_LOG_QUEUE, false);
        return lines / (elapsed / 1e9);
    }

    /** One persistent message per raw line, as the old sender published, with confirms awaited per message or at the end. */
    private double perLine(CachingConnectionFactory connections, RabbitAdmin admin, int lines, boolean awaitEach)
            throws Exception {
        RabbitTemplate template = new RabbitTemplate(connections);
        List<CorrelationData> pending = new ArrayList<>();
        long begin = System.nanoTime();
        for (int n = 0; n < lines; n++) {
            MessageProperties properties = new MessageProperties();
            properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
            CorrelationData correlation = new CorrelationData();
            template.send(Topology.LOGS_EXCHANGE, ROUTING_KEY,
                    new Message(SampleLines.line(n).getBytes(StandardCharsets.UTF_8), properties), correlation);
            if (awaitEach) {
                correlation.getFuture().get(10, TimeUnit.SECONDS);
            } else {
                pending.add(correlation);
            }
        }
        for (CorrelationData correlation : pending) {
            correlation.getFuture().get(60, TimeUnit.SECONDS);
        }
        long elapsed = System.nanoTime() - begin;
        admin.purgeQueue(Topology.CENTRAL_LOG_QUEUE, false);
        return lines / (elapsed / 1e9);
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
