package org.vlab.ipam.logs.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * Reads the time a syslog line starts with: RFC 3339 with an offset, as rsyslog writes
 * {@code kern.log} ({@code 2026-11-20T09:30:56.693495-05:00}), or the traditional year-less
 * {@code Nov 24 15:59:34} (also {@code Nov  4 ...}) of ulogd2's LOGEMU, which
 * {@link YearInference} completes.
 */
final class SyslogTime {

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /** A time read from a line, and the index just after it. */
    record Stamp(Instant time, int end) {
    }

    private final YearInference years;

    SyslogTime(YearInference years) {
        this.years = years;
    }

    /** The line's leading time, or null if the line does not start with one of the two forms. */
    Stamp read(String line) {
        if (line.isEmpty()) {
            return null;
        }
        char first = line.charAt(0);
        if (first >= '0' && first <= '9') {
            return rfc3339(line);
        }
        return traditional(line);
    }

    private static Stamp rfc3339(String line) {
        int end = line.indexOf(' ');
        if (end < 0) {
            return null;
        }
        Instant fast = Rfc3339.parse(line, end);
        if (fast != null) {
            return new Stamp(fast, end);
        }
        try {
            return new Stamp(OffsetDateTime.parse(line.substring(0, end)).toInstant(), end);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private Stamp traditional(String line) {
        // "Mmm dd hh:mm:ss" with the day space-padded: exactly 15 characters
        if (line.length() < 16 || line.charAt(3) != ' ' || line.charAt(6) != ' ' || line.charAt(15) != ' ') {
            return null;
        }
        int monthIndex = MONTHS.indexOf(line.substring(0, 3));
        if (monthIndex < 0 || monthIndex % 3 != 0) {
            return null;
        }
        int day = line.charAt(4) == ' ' ? Rfc3339.digits(line, 5, 6) : Rfc3339.digits(line, 4, 6);
        int hour = Rfc3339.digits(line, 7, 9);
        int minute = Rfc3339.digits(line, 10, 12);
        int second = Rfc3339.digits(line, 13, 15);
        if (day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || line.charAt(9) != ':' || line.charAt(12) != ':') {
            return null;
        }
        try {
            return new Stamp(years.resolve(monthIndex / 3 + 1, day, LocalTime.of(hour, minute, second)), 15);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
