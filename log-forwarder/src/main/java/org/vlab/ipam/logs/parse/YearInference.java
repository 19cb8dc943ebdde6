package org.vlab.ipam.logs.parse;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Completes a year-less, zone-less syslog time ({@code Nov 24 15:59:34}, as ulogd2's LOGEMU
 * and traditional syslog write it) into an instant. The zone is the configured one (the
 * gateway's local zone by default). The year is the latest that does not put the line more
 * than a day into the future: normally the current one, the year before for a December line
 * read in January, and the next one for a line of 1 January read just before midnight by a
 * clock a little behind the writer's. The day of slack keeps clocks that differ a little from
 * throwing a line a year back. In a DST overlap the earlier offset is taken; a time in a DST
 * gap moves forward by the gap.
 */
final class YearInference {

    private static final Duration FUTURE_SLACK = Duration.ofDays(1);
    /** Leap years are at most 8 years apart (1896 to 1904, 2096 to 2104). */
    private static final int MAX_YEARS_BACK = 8;

    private final ZoneId zone;
    private final Clock clock;

    YearInference(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    Instant resolve(int month, int day, LocalTime time) {
        Instant now = clock.instant();
        Instant latest = now.plus(FUTURE_SLACK);
        int year = now.atZone(zone).getYear();
        for (int back = -1; back <= MAX_YEARS_BACK; back++) {
            Instant candidate = at(year - back, month, day, time);
            if (candidate != null && !candidate.isAfter(latest)) {
                return candidate;
            }
        }
        throw new DateTimeException("no year puts " + month + "-" + day + " " + time + " in the past");
    }

    /** The instant, or null when the date does not exist in that year (29 February). */
    private Instant at(int year, int month, int day, LocalTime time) {
        try {
            return ZonedDateTime.ofLocal(LocalDate.of(year, month, day).atTime(time), zone, null).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
