package org.vlab.ipam.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;

/**
 * The batch writer against the mapper it stands in for: the bytes must be the same, whatever
 * the text holds, the instant's precision or year, and which ports are absent.
 */
class FirewallLogBatchJsonTests {

    private static final GatewayId ALICE = GatewayId.of("alice");
    private static final LogSource SOURCE = new LogSource("2049:1835011:9f2c41d0e3b5a7c1", 4096, 1_234_567_890_123L);

    @Test
    void writesTheSampleBatchesAsTheMapperDoes() {
        MessageSamples.all().stream().filter(FirewallLogBatch.class::isInstance).map(FirewallLogBatch.class::cast)
                .forEach(FirewallLogBatchJsonTests::assertSameAsTheMapper);
    }

    @Test
    void escapesEveryAsciiCharacterAsTheMapperDoes() {
        String everyAscii = IntStream.range(0, 128).mapToObj(c -> String.valueOf((char) c))
                .reduce("", String::concat);
        assertSameAsTheMapper(batch(record(Instant.EPOCH, everyAscii, everyAscii, "\"\\", 1, 2, 3)));
    }

    @Test
    void leavesTextOutsideAsciiToTheMapper() {
        assertSameAsTheMapper(batch(record(Instant.EPOCH, "VLABFWD é", "g0", "g1", 1, 2, 3)));
        assertSameAsTheMapper(batch(record(Instant.EPOCH, "VLABFWD \u0080\u00ff", "g0", "g1", 1, 2, 3)));
        assertSameAsTheMapper(batch(record(Instant.EPOCH, "VLABFWD 日本 \uD83D\uDE00", "g0", "g1", 1, 2, 3)));
        assertSameAsTheMapper(batch(record(Instant.EPOCH, "lone \uD83D surrogate", "g0", "g1", 1, 2, 3)));
    }

    @Test
    void writesInstantsOfEveryPrecisionAndYearAsTheMapperDoes() {
        List<Instant> times = List.of(Instant.EPOCH, Instant.parse("2026-11-20T14:30:56Z"),
                Instant.parse("2026-11-20T14:30:56.100Z"), Instant.parse("2026-11-20T14:30:56.000100Z"),
                Instant.parse("2026-11-20T14:30:56.000000001Z"), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.MIN, Instant.MAX);
        for (Instant time : times) {
            assertSameAsTheMapper(batch(record(time, "VLABFWD", "g0", "g1", 1, 2, 3)));
        }
        // in one batch: records of the same second one after another, and of other seconds between
        List<Instant> together = new ArrayList<>(times);
        together.addAll(times);
        together.add(2, Instant.parse("2026-11-20T14:30:56.5Z"));
        assertSameAsTheMapper(batch(together.stream().map(time -> record(time, "VLABFWD", "g0", "g1", 1, 2, 3))
                .toArray(FirewallLogRecord[]::new)));
    }

    @Test
    void leavesOutAbsentPortsAsTheMapperDoes() {
        assertSameAsTheMapper(batch(record(Instant.EPOCH, "", "g0", "g1", null, null, null),
                record(Instant.EPOCH, "VLABFWD", "g0", "g1", 0, null, 65535),
                record(Instant.EPOCH, "VLABFWD", "g0", "g1", null, 65535, 1)));
        assertSameAsTheMapper(new FirewallLogBatch(ALICE, new LogSource("f", 0, 0), List.of()));
    }

    @Test
    void writesOffsetsOfEveryLengthAndAFileIdOutsideAsciiAsTheMapperDoes() {
        for (long offset : new long[] {0, 9, 10, 999_999_999L, 1_000_000_000L, Integer.MAX_VALUE,
                Integer.MAX_VALUE + 1L, Long.MAX_VALUE}) {
            assertSameAsTheMapper(new FirewallLogBatch(ALICE, new LogSource("f", offset, offset),
                    List.of(record(Instant.EPOCH, "VLABFWD", "g0", "g1", 1, 2, 3))));
        }
        assertSameAsTheMapper(new FirewallLogBatch(ALICE, new LogSource("fichier-é", 0, 1),
                List.of(record(Instant.EPOCH, "VLABFWD", "g0", "g1", 1, 2, 3))));
    }

    /** A field added to these records must be written here too: the tests above compare only the fields they set. */
    @Test
    void knowsEveryFieldOfTheRecordsItWrites() {
        assertThat(FirewallLogBatch.class.getRecordComponents()).hasSize(3);
        assertThat(LogSource.class.getRecordComponents()).hasSize(3);
        assertThat(FirewallLogRecord.class.getRecordComponents()).hasSize(11);
    }

    @Test
    void writesRandomBatchesAsTheMapperDoes() {
        Random random = new Random(20261207);
        for (int round = 0; round < 200; round++) {
            List<FirewallLogRecord> records = new ArrayList<>();
            for (int i = random.nextInt(20); i > 0; i--) {
                records.add(new FirewallLogRecord(Instant.ofEpochSecond(random.nextLong(0, 253_402_300_800L),
                        random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000)), ALICE, text(random, 30),
                        text(random, 15) + "x", text(random, 15) + "y", new Ipv4Address(random.nextInt()),
                        new Ipv4Address(random.nextInt()), "P" + text(random, 15).strip(), port(random), port(random),
                        random.nextBoolean() ? null : ConnPort.of(random.nextInt(1024, 65536))));
            }
            assertSameAsTheMapper(new FirewallLogBatch(ALICE, new LogSource("f" + text(random, 40).strip(),
                    random.nextLong(0, Long.MAX_VALUE / 2), Long.MAX_VALUE / 2 + random.nextLong(0, 1000)), records));
        }
    }

    private static String text(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            text.append((char) (random.nextInt(10) == 0 ? random.nextInt(0x20) : random.nextInt(0x20, 0x80)));
        }
        return text.toString();
    }

    private static Integer port(Random random) {
        return random.nextInt(4) == 0 ? null : random.nextInt(65536);
    }

    private static FirewallLogRecord record(Instant time, String prefix, String in, String out, Integer srcPort,
            Integer dstPort, Integer connPort) {
        return new FirewallLogRecord(time, ALICE, prefix, in, out, Ipv4Address.parse("10.7.1.50"),
                Ipv4Address.parse("192.168.1.20"), "TCP", srcPort, dstPort,
                connPort == null ? null : ConnPort.of(connPort));
    }

    private static FirewallLogBatch batch(FirewallLogRecord... records) {
        return new FirewallLogBatch(ALICE, SOURCE, List.of(records));
    }

    private static void assertSameAsTheMapper(FirewallLogBatch batch) {
        byte[] expected = IpamJson.mapper().writeValueAsBytes(batch);
        assertThat(new String(FirewallLogBatchJson.write(batch), StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
    }
}
