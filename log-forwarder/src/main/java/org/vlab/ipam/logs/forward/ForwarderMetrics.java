package org.vlab.ipam.logs.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.vlab.ipam.logs.parse.SkipReason;
import org.vlab.ipam.logs.tail.FileIdentity;
import org.vlab.ipam.logs.tail.TailObserver;

/**
 * The forwarder's meters: {@code ipam.logs.lines.read}, {@code ipam.logs.lines.skipped}
 * (tag {@code reason}), {@code ipam.logs.records.published}, {@code ipam.logs.publish.failures},
 * {@code ipam.logs.session.failures}, {@code ipam.logs.files.unreadable}, {@code ipam.logs.gaps} and the gauge {@code ipam.logs.behind.bytes}, the bytes of the log not read yet (it grows
 * while the broker is unreachable, since reading pauses then).
 */
final class ForwarderMetrics implements TailObserver {

    private final Counter linesRead;
    private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class);
    private final Counter recordsPublished;
    private final Counter publishFailures;
    private final Counter sessionFailures;
    private final Counter unreadableFiles;
    private final Counter gaps;
    private volatile LineSource source;
    private volatile int batchesInFlight;

    ForwarderMetrics(MeterRegistry registry) {
        linesRead = Counter.builder("ipam.logs.lines.read").description("Lines read from the firewall log")
                .register(registry);
        for (SkipReason reason : SkipReason.values()) {
            skipped.put(reason, Counter.builder("ipam.logs.lines.skipped")
                    .description("Lines that did not become a record, by reason").tag("reason", reason.tag())
                    .register(registry));
        }
        recordsPublished = Counter.builder("ipam.logs.records.published")
                .description("Records the broker confirmed").register(registry);
        publishFailures = Counter.builder("ipam.logs.publish.failures")
                .description("Publish attempts that failed and were retried").register(registry);
        sessionFailures = Counter.builder("ipam.logs.session.failures")
                .description("Forwarding sessions that ended with an error and were started again").register(registry);
        unreadableFiles = Counter.builder("ipam.logs.files.unreadable")
                .description("Rotated files skipped because they could not be read").register(registry);
        gaps = Counter.builder("ipam.logs.gaps")
                .description("Times the checkpointed file was gone at start, so its unread rest was lost")
                .register(registry);
        Gauge.builder("ipam.logs.behind.bytes", this, ForwarderMetrics::bytesBehind).baseUnit("bytes")
                .description("Bytes of the firewall log not read yet").register(registry);
        Gauge.builder("ipam.logs.batches.in_flight", this, metrics -> metrics.batchesInFlight)
                .description("Batches published and not yet confirmed as a prefix").register(registry);
    }

    void inFlight(int batches) {
        batchesInFlight = batches;
    }

    void follow(LineSource lines) {
        source = lines;
    }

    void lineRead() {
        linesRead.increment();
    }

    void skipped(SkipReason reason) {
        skipped.get(reason).increment();
    }

    void published(int records) {
        recordsPublished.increment(records);
    }

    void publishFailed() {
        publishFailures.increment();
    }

    void sessionFailed() {
        sessionFailures.increment();
    }

    @Override
    public void unreadable(Path file, Exception cause) {
        unreadableFiles.increment();
    }

    @Override
    public void gap(FileIdentity file, long offset, long knownSize) {
        gaps.increment();
    }

    private double bytesBehind() {
        LineSource current = source;
        return current == null ? 0 : current.bytesBehind();
    }
}
