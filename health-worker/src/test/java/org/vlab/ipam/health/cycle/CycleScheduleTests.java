package org.vlab.ipam.health.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CycleScheduleTests {

    private final CycleSchedule schedule = new CycleSchedule(Duration.ofSeconds(300), Duration.ofSeconds(10));

    @Test
    void theNextCycleStartsOnePeriodAfterTheLastStarted() {
        assertThat(schedule.pauseAfter(Duration.ofSeconds(40), true)).isEqualTo(Duration.ofSeconds(260));
        assertThat(schedule.overran(Duration.ofSeconds(40))).isFalse();
    }

    @Test
    void anOverrunningCycleDelaysTheNextWhichStartsRightAfterIt() {
        assertThat(schedule.pauseAfter(Duration.ofSeconds(301), true)).isZero();
        assertThat(schedule.pauseAfter(Duration.ofSeconds(900), true)).as("no burst to catch up").isZero();
        assertThat(schedule.overran(Duration.ofSeconds(301))).isTrue();
    }

    @Test
    void withoutASnapshotItRetriesSooner() {
        assertThat(schedule.pauseAfter(Duration.ofMillis(5), false)).isEqualTo(Duration.ofSeconds(10));
        assertThat(new CycleSchedule(Duration.ofSeconds(2), Duration.ofSeconds(10)).pauseAfter(Duration.ZERO, false))
                .as("never later than the period").isEqualTo(Duration.ofSeconds(2));
    }
}
