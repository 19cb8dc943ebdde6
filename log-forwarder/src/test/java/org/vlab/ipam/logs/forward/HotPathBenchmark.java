package org.vlab.ipam.logs.forward;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.logs.SampleLines;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.LocalLogFiles;
import org.vlab.ipam.logs.tail.LogLine;
import org.vlab.ipam.logs.tail.LogTailer;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.springframework.amqp.core.MessageProperties;

/**
 * The forwarder's hot path without the broker, stage by stage, on one thread: reading the log
 * through the tailer, parsing lines into records, writing batches as JSON (as published, and
 * with Jackson 3 for comparison), and the fsync'd checkpoint write. Each stage's lines per second say which one
 * bounds the forwarder's CPU when the broker does not; the bytes each allocates per line are
 * the figure a busy shared machine cannot move (its rates swing threefold). Like the
 * forwarder, a stage keeps no more than a batch of what it makes (until 2026-12-07 the rows
 * kept all 200,000 lines and records of a round), and three rounds warm the stages up before
 * the measured ones. Not part of the build; {@code bench/logs.sh} runs it with the broker
 * benchmark.
 */
class HotPathBenchmark {

    private static final GatewayId GATEWAY = GatewayId.of("alice");
    private static final int LINES = 200_000;
    private static final int BATCH = 500;
    private static final int WARM_UP_ROUNDS = 3;
    private static final int ROUNDS = 7;
    private static final com.sun.management.ThreadMXBean ALLOCATIONS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path directory;

    /** What the stages made, folded into a field (a store the compiler must keep), so none of their work is left out. */
    private long sink;

    @Test
    void measure() throws Exception {
        Path log = directory.resolve("firewall.log");
        try (BufferedWriter writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int n = 0; n < LINES; n++) {
                writer.write(SampleLines.line(n));
                writer.write('\n');
            }
        }
        FirewallLineParser parser = new FirewallLineParser(GATEWAY, ZoneOffset.UTC, Clock.systemUTC());
        // the later stages' input, made once and not timed
        List<String> texts = new ArrayList<>(LINES);
        for (int n = 0; n < LINES; n++) {
            texts.add(SampleLines.line(n));
        }
        List<FirewallLogRecord> records = new ArrayList<>(LINES);
        texts.forEach(text -> records.add(parser.parse(text).record()));
        IpamMessageConverter converter = new IpamMessageConverter();
        FileIdentity file = new FileIdentity("0:1", "0123456789abcdef");
        List<Double> read = new ArrayList<>();
        List<Double> parse = new ArrayList<>();
        List<Double> encode = new ArrayList<>();
        List<Double> jackson = new ArrayList<>();
        List<Double> jacksonBytes = new ArrayList<>();
        List<Double> checkpoint = new ArrayList<>();
        List<Double> readBytes = new ArrayList<>();
        List<Double> parseBytes = new ArrayList<>();
        List<Double> encodeBytes = new ArrayList<>();
        long bytes = 0;
        for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
            boolean measured = round >= WARM_UP_ROUNDS;
            long allocatedBefore = allocatedSoFar();
            long start = System.nanoTime();
            int lines = 0;
            try (LogTailer tailer = new LogTailer(new LocalLogFiles(), log, Clock.systemUTC(), Duration.ofMillis(20),
                    Duration.ofSeconds(5), null, 0L)) {
                for (Optional<LogLine> line = tailer.next(); line.isPresent(); line = tailer.next()) {
                    sink += line.get().text().length();
                    lines++;
                }
            }
            record(measured, read, start, lines);
            allocated(measured, readBytes, allocatedBefore, lines);

            allocatedBefore = allocatedSoFar();
            start = System.nanoTime();
            for (int from = 0; from < texts.size(); from += BATCH) {
                List<FirewallLogRecord> batch = new ArrayList<>(BATCH);
                for (String text : texts.subList(from, Math.min(texts.size(), from + BATCH))) {
                    batch.add(parser.parse(text).record());
                }
                sink += batch.get(batch.size() - 1).hashCode();
            }
            record(measured, parse, start, texts.size());
            allocated(measured, parseBytes, allocatedBefore, texts.size());

            allocatedBefore = allocatedSoFar();
            start = System.nanoTime();
            bytes = 0;
            for (int from = 0; from < records.size(); from += BATCH) {
                Batch batch = new Batch(file, from, from + 1, records.subList(from, Math.min(records.size(), from + BATCH)),
                        BATCH);
                bytes += converter.toMessage(batch.message(GATEWAY), new MessageProperties()).getBody().length;
            }
            record(measured, encode, start, records.size());
            allocated(measured, encodeBytes, allocatedBefore, records.size());

            allocatedBefore = allocatedSoFar();
            start = System.nanoTime();
            for (int from = 0; from < records.size(); from += BATCH) {
                Batch batch = new Batch(file, from, from + 1, records.subList(from, Math.min(records.size(), from + BATCH)),
                        BATCH);
                sink += IpamJson.mapper().writeValueAsBytes(batch.message(GATEWAY)).length;
            }
            record(measured, jackson, start, records.size());
            allocated(measured, jacksonBytes, allocatedBefore, records.size());

            FileCheckpointStore store = new FileCheckpointStore(directory.resolve("state"), log);
            int writes = 200;
            start = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                store.save(new Checkpoint(file, i * 1000L, (long) i * 1000 + 500));
            }
            record(measured, checkpoint, start, writes * BATCH);
        }
        System.out.printf("[hot-path] %,d lines of %d bytes, in batches of %d; JSON %,d bytes per record; median of %d "
                + "rounds after %d%n", LINES, SampleLines.line(0).length() + 1, BATCH, bytes / records.size(), ROUNDS,
                WARM_UP_ROUNDS);
        System.out.println("[hot-path] | stage (one thread) | lines/s | bytes allocated per line |");
        System.out.println("[hot-path] |---|---|---|");
        System.out.printf("[hot-path] | read through the tailer | %,.0f | %.0f |%n", median(read), median(readBytes));
        System.out.printf("[hot-path] | parse into records | %,.0f | %.0f |%n", median(parse), median(parseBytes));
        System.out.printf("[hot-path] | write batches of %d as JSON, as published (FirewallLogBatchJson) | %,.0f | %.0f |%n",
                BATCH, median(encode), median(encodeBytes));
        System.out.printf("[hot-path] | write batches of %d as JSON with Jackson 3 (the mapper, as until 2026-12-07) "
                + "| %,.0f | %.0f |%n", BATCH, median(jackson), median(jacksonBytes));
        System.out.printf("[hot-path] | one checkpoint write, forced to the disk, per batch of %d | %,.0f | - |%n",
                BATCH, median(checkpoint));
    }

    private static void record(boolean measured, List<Double> rates, long start, int lines) {
        if (measured) {
            rates.add(rate(start, lines));
        }
    }

    /** What this thread allocated per line since {@code before}: unlike the rate, the machine's load cannot move it. */
    private static void allocated(boolean measured, List<Double> bytesPerLine, long before, int lines) {
        if (measured) {
            bytesPerLine.add((ALLOCATIONS.getCurrentThreadAllocatedBytes() - before) / (double) lines);
        }
    }

    private static long allocatedSoFar() {
        return ALLOCATIONS.getCurrentThreadAllocatedBytes();
    }

    private static double rate(long start, int lines) {
        return lines / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
