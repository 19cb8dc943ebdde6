package org.vlab.ipam.bench.stats;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one run measured: operations that succeeded and failed (with the outcomes that counted
 * as failures), the wall time from the first start to the last completion, and the
 * successful operations' p50 and p99 latency.
 */
public record RunSummary(String label, int inFlight, int succeeded, Map<String, Integer> failures, long elapsedNanos,
        long p50Nanos, long p99Nanos) {

    public RunSummary {
        if (succeeded < 0 || elapsedNanos <= 0) {
            throw new IllegalArgumentException("a run has a positive duration and no negative count");
        }
        failures = Map.copyOf(failures);
    }

    /** Summarises a finished run from its successful operations' latencies. */
    public static RunSummary of(String label, int inFlight, Latencies latencies, Map<String, Integer> failures,
            long elapsedNanos) {
        long[] sorted = latencies.sorted();
        long p50 = sorted.length == 0 ? 0 : Latencies.percentile(sorted, 0.50);
        long p99 = sorted.length == 0 ? 0 : Latencies.percentile(sorted, 0.99);
        return new RunSummary(label, inFlight, sorted.length, failures, elapsedNanos, p50, p99);
    }

    public double perSecond() {
        return succeeded * 1e9 / elapsedNanos;
    }

    public int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** {@code | label | in flight | ok | failed | per s | p50 ms | p99 ms |}: a row of the bench scripts' tables. */
    public String markdownRow() {
        String failed = failures.isEmpty() ? "0" : failed() + " (" + new TreeMap<>(failures).entrySet().stream()
                .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", ")) + ")";
        return String.format(Locale.ROOT, "| %s | %d | %d | %s | %.0f | %.1f | %.1f |", label, inFlight, succeeded,
                failed, perSecond(), p50Nanos / 1e6, p99Nanos / 1e6);
    }
}
