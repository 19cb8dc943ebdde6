package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.logs.SampleLines;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.tail.LogLine;

/** Batches cut on a reading thread of their own, ahead of the forwarding thread. */
class ReadAheadTests {

    private static final Duration POLL = Duration.ofMillis(10);
    /** Two records a batch, a linger no test waits for. */
    private static final BatchSettings SETTINGS = new BatchSettings(2, Duration.ofMinutes(5), POLL,
            Duration.ofMillis(200), Duration.ofSeconds(1), 8, 3);

    private final ScriptedLines lines = new ScriptedLines();
    private final List<ReadAhead> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(ReadAhead::close);
    }

    @Test
    void batchesComeOutInTheOrderCutAndAtMostRoomAtATime() throws Exception {
        lines.add(LogForwarderTests.FILE_A, texts(0, 12));
        ReadAhead ahead = readAhead(lines, 3);

        List<List<Batch>> taken = new ArrayList<>();
        int batches = 0;
        while (batches < 6) {
            List<Batch> next = ahead.next(2, POLL, () -> { });
            assertThat(next).hasSizeBetween(1, 2);
            taken.add(next);
            batches += next.size();
        }

        List<Long> starts = taken.stream().flatMap(List::stream).map(Batch::start).toList();
        assertThat(starts).isSorted().doesNotHaveDuplicates().hasSize(6);
        assertThat(taken.stream().flatMap(List::stream).flatMap(batch -> batch.records().stream()).toList())
                .containsExactlyElementsOf(IntStream.range(0, 12)
                        .mapToObj(n -> SampleLines.record(n, LogForwarderTests.ALICE)).toList());
    }

    @Test
    void readsAtMostItsCapacityAheadWhileNothingIsTaken() throws Exception {
        lines.add(LogForwarderTests.FILE_A, texts(0, 40));
        readAhead(lines, 3);

        // three batches wait in the queue and the reader holds a fourth it cannot hand over
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.asked.get() >= 8);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> lines.asked.get() == 8);
    }

    @Test
    void aReadingFailureComesOutAfterTheBatchesCutBeforeItAndEndsTheSessionAsItWas() throws Exception {
        lines.add(LogForwarderTests.FILE_A, texts(0, 4));
        AtomicInteger asked = new AtomicInteger();
        LineSource breaksWhenReadOut = new LineSource.Delegating(lines) {
            @Override
            public Optional<LogLine> next() throws IOException {
                asked.incrementAndGet();
                Optional<LogLine> line = lines.next();
                if (line.isEmpty()) {
                    throw new IOException("disk on fire");
                }
                return line;
            }
        };
        ReadAhead ahead = readAhead(breaksWhenReadOut, 3);
        // two batches and the failure behind them wait: the first call takes all three
        await().atMost(Duration.ofSeconds(5)).until(() -> ahead.waiting() == 3);

        assertThat(ahead.next(8, POLL, () -> { })).hasSize(2);
        assertThatThrownBy(() -> ahead.next(8, POLL, () -> { })).isInstanceOf(IOException.class)
                .hasMessage("disk on fire");
    }

    @Test
    void aBugInTheReaderIsThrownOnTheForwardingThreadWithItsOwnType() throws Exception {
        LineSource buggy = new LineSource.Delegating(lines) {
            @Override
            public Optional<LogLine> next() {
                throw new StackOverflowError("a bug deep down");
            }
        };
        ReadAhead ahead = readAhead(buggy, 3);

        assertThatThrownBy(() -> ahead.next(8, POLL, () -> { })).isInstanceOf(StackOverflowError.class);
    }

    @Test
    void whileNoBatchIsReadyTheIdleWorkRunsEveryPoll() throws Exception {
        ReadAhead ahead = readAhead(lines, 3);
        AtomicInteger idle = new AtomicInteger();

        Thread forwarding = new Thread(() -> {
            try {
                ahead.next(8, POLL, idle::incrementAndGet);
            } catch (IOException | InterruptedException e) {
                // stopped below
            }
        });
        forwarding.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> idle.get() >= 5);
        lines.add(LogForwarderTests.FILE_A, texts(0, 2));
        forwarding.join(5_000);

        assertThat(forwarding.isAlive()).as("the batch that came ended the wait").isFalse();
    }

    @Test
    void closingStopsTheReaderThread() {
        lines.add(LogForwarderTests.FILE_A, texts(0, 40));
        ReadAhead ahead = readAhead(lines, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.asked.get() >= 4);
        assertThat(ahead.readerAlive()).isTrue();

        ahead.close();

        assertThat(ahead.readerAlive()).isFalse();
        int asked = lines.asked.get();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> lines.asked.get() == asked);
    }

    @Test
    void closingFromAnInterruptedThreadStillWaitsForTheReaderAndKeepsTheInterrupt() throws Exception {
        // a read that does not answer interrupts, as a read of a slow disk does not
        CountDownLatch reading = new CountDownLatch(1);
        LineSource slowToStop = new LineSource.Delegating(lines) {
            @Override
            public Optional<LogLine> next() {
                reading.countDown();
                long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return Optional.empty();
            }
        };
        ReadAhead ahead = readAhead(slowToStop, 2);
        assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean aliveAfterClose = new AtomicBoolean(true);
        AtomicBoolean interruptKept = new AtomicBoolean();

        Thread shuttingDown = new Thread(() -> {
            Thread.currentThread().interrupt();
            ahead.close();
            aliveAfterClose.set(ahead.readerAlive());
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        shuttingDown.start();
        shuttingDown.join(15_000);

        assertThat(aliveAfterClose).as("the reader still running when close returned").isFalse();
        assertThat(interruptKept).as("the caller's interrupt kept").isTrue();
    }

    private ReadAhead readAhead(LineSource source, int capacity) {
        BatchCollector collector = new BatchCollector(source, new FirewallLineParser(LogForwarderTests.ALICE,
                ZoneOffset.UTC, Clock.systemUTC()), SETTINGS, Clock.systemUTC(), Pause.SLEEP,
                new ForwarderMetrics(new SimpleMeterRegistry()), null, () -> { });
        ReadAhead ahead = new ReadAhead(collector, capacity);
        opened.add(ahead);
        return ahead;
    }

    private static String[] texts(int from, int to) {
        return IntStream.range(from, to).mapToObj(SampleLines::line).toArray(String[]::new);
    }
}
