package org.vlab.ipam.logs.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.vlab.ipam.logs.parse.SkipReason;

/**
 * The forwarder's meters: {@code ipam.logs.lines.read}, {@code ipam.logs.lines.skipped}
 * (tag {@code reason}), {@code ipam.logs.records.published}, {@code ipam.logs.publish.failures}
 * and the gauge {@code ipam.logs.behind.bytes}, the bytes of the log not read yet (it grows
 * while the broker is unreachable, since reading pauses then).
 */
final class ForwarderMetrics {

    private final Counter linesRead;
    private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class);
    private final Counter recordsPublished;
    private final Counter publishFailures;
    private volatile LineSource source;

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
        Gauge.builder("ipam.logs.behind.bytes", this, ForwarderMetrics::bytesBehind).baseUnit("bytes")
                .description("Bytes of the firewall log not read yet").register(registry);
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

    private double bytesBehind() {
        LineSource current = source;
        return current == null ? 0 : current.bytesBehind();
    }
}
