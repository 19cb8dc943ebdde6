package org.vlab.ipam.bench.stats;

import java.util.Arrays;

/**
 * The latencies of one run, one slot per operation so concurrent completions never contend,
 * and their percentiles by nearest rank over the exact samples (runs hold thousands of
 * samples, not millions, so sorting beats approximating).
 */
public final class Latencies {

    private final long[] nanos;
    private final boolean[] recorded;

    public Latencies(int operations) {
        if (operations < 1) {
            throw new IllegalArgumentException("a run needs at least one operation; got " + operations);
        }
        this.nanos = new long[operations];
        this.recorded = new boolean[operations];
    }

    /** Records operation {@code index}'s latency; each index is written by one thread, once. */
    public void record(int index, long latencyNanos) {
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latency must not be negative; got " + latencyNanos);
        }
        nanos[index] = latencyNanos;
        recorded[index] = true;
    }

    /** The recorded latencies, sorted; call once every operation completed. */
    public long[] sorted() {
        int count = 0;
        long[] samples = new long[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            if (recorded[i]) {
                samples[count++] = nanos[i];
            }
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * The {@code quantile} (0 &lt; q ≤ 1) of sorted samples by nearest rank: the smallest
     * sample with at least q of all samples at or below it.
     */
    public static long percentile(long[] sorted, double quantile) {
        if (!(quantile > 0 && quantile <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1]; got " + quantile);
        }
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
