package org.vlab.ipam.logs.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The year and zone a year-less local time gets. */
class YearInferenceTests {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aLineOfThisYearGetsThisYearInTheConfiguredZone() {
        assertThat(at("2026-11-27T12:00:00Z").resolve(11, 24, LocalTime.of(15, 59, 34)))
                .isEqualTo(Instant.parse("2026-11-24T14:59:34Z"));
    }

    @Test
    void aDecemberLineReadInJanuaryBelongsToLastYear() {
        assertThat(at("2027-01-02T08:00:00Z").resolve(12, 31, LocalTime.of(23, 59, 59)))
                .isEqualTo(Instant.parse("2026-12-31T22:59:59Z"));
    }

    @Test
    void aLineUpToADayAheadOfTheClockStaysInThisYear() {
        assertThat(at("2026-06-10T12:00:00Z").resolve(6, 11, LocalTime.of(12, 0)))
                .isEqualTo(Instant.parse("2026-06-11T10:00:00Z"));
    }

    @Test
    void aNewYearLineReadByAClockStillInTheOldYearBelongsToTheNextYear() {
        assertThat(at("2026-12-31T22:30:00Z").resolve(1, 1, LocalTime.of(0, 10)))
                .isEqualTo(Instant.parse("2026-12-31T23:10:00Z"));
    }

    @Test
    void aLineMoreThanADayAheadBelongsToLastYear() {
        assertThat(at("2026-06-10T12:00:00Z").resolve(6, 12, LocalTime.of(12, 0)))
                .isEqualTo(Instant.parse("2025-06-12T10:00:00Z"));
    }

    @Test
    void the29thOfFebruaryFindsTheLastLeapYear() {
        assertThat(at("2027-03-01T00:00:00Z").resolve(2, 29, LocalTime.NOON))
                .isEqualTo(Instant.parse("2024-02-29T11:00:00Z"));
    }

    @Test
    void anAmbiguousAutumnTimeTakesTheEarlierOffset() {
        assertThat(at("2026-11-01T00:00:00Z").resolve(10, 25, LocalTime.of(2, 30)))
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    }

    private static YearInference at(String now) {
        return new YearInference(BERLIN, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    }
}
