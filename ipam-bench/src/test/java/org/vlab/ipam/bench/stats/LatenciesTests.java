package org.vlab.ipam.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatenciesTests {

    @Test
    void percentileIsTheNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(Latencies.percentile(sorted, 0.50)).isEqualTo(50);
        assertThat(Latencies.percentile(sorted, 0.99)).isEqualTo(99);
        assertThat(Latencies.percentile(sorted, 1.0)).isEqualTo(100);
        assertThat(Latencies.percentile(sorted, 0.001)).isEqualTo(1);
    }

    @Test
    void percentileOfFewSamplesRoundsUp() {
        long[] sorted = {10, 20, 30};
        assertThat(Latencies.percentile(sorted, 0.50)).isEqualTo(20);
        assertThat(Latencies.percentile(sorted, 0.99)).isEqualTo(30);
    }

    @Test
    void refusesQuantilesOutsideTheUnitInterval() {
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 1.5)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> Latencies.percentile(new long[0], 0.5)).hasMessageContaining("no samples");
    }

    @Test
    void sortsOnlyTheRecordedOperations() {
        Latencies latencies = new Latencies(4);
        latencies.record(3, 30);
        latencies.record(0, 10);
        latencies.record(1, 20);
        assertThat(latencies.sorted()).containsExactly(10, 20, 30);
    }

    @Test
    void summaryCountsSuccessesFromLatenciesAndRatesThemOverTheWallTime() {
        Latencies latencies = new Latencies(200);
        for (int i = 0; i < 100; i++) {
            latencies.record(i, (i + 1) * 1_000_000L);
        }
        RunSummary summary = RunSummary.of("API, 1 replica", 32, latencies, Map.of("HTTP 202", 3, "HTTP 503", 1),
                2_000_000_000L);
        assertThat(summary.succeeded()).isEqualTo(100);
        assertThat(summary.failed()).isEqualTo(4);
        assertThat(summary.perSecond()).isEqualTo(50.0);
        assertThat(summary.markdownRow())
                .isEqualTo("| API, 1 replica | 32 | 100 | 4 (HTTP 202 ×3, HTTP 503 ×1) | 50 | 50.0 | 99.0 |");
    }

    @Test
    void summaryOfARunWithoutFailuresSaysZero() {
        Latencies latencies = new Latencies(1);
        latencies.record(0, 1_500_000L);
        assertThat(RunSummary.of("broker alone", 128, latencies, Map.of(), 1_000_000_000L).markdownRow())
                .isEqualTo("| broker alone | 128 | 1 | 0 | 1 | 1.5 | 1.5 |");
    }
}
