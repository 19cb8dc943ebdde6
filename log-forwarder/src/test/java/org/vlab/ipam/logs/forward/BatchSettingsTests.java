package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How batches are cut and how far they are read ahead. */
class BatchSettingsTests {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void asDeployedTheReaderCutsTheWindowAndTheBatchesRecordedBehindItAhead() {
        BatchSettings settings = BatchSettings.readingAhead(500, SECOND, SECOND, SECOND, SECOND, 8);

        assertThat(settings.inFlight()).isEqualTo(8);
        assertThat(settings.readAhead()).isEqualTo(16);
    }

    @Test
    void refusesNoBatchInFlightAndANegativeReadAhead() {
        assertThatThrownBy(() -> BatchSettings.readingAhead(500, SECOND, SECOND, SECOND, SECOND, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one is in flight");
        assertThatThrownBy(() -> new BatchSettings(500, SECOND, SECOND, SECOND, SECOND, 1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none or more are read ahead");
    }
}
