package org.vlab.ipam.api.portmap;

import java.time.Instant;

/**
 * A mapping's connection usage as the read scripts summarise it from the gateway's usage hash
 * ({@code <ISO time>|<source>|<count>}): the latest forwarded connection the gateway's log
 * reported and how many there were in the current hour and the 23 before. The time stays the
 * text Redis holds, so a listing builds no date per mapping.
 */
public record MappingUsage(String lastConnectionAt, String lastSource, int connections24h) {

    /** The summary the scripts write; null for null (a mapping without usage). */
    static MappingUsage parse(String summary) {
        if (summary == null) {
            return null;
        }
        int first = summary.indexOf('|');
        int last = summary.lastIndexOf('|');
        return new MappingUsage(summary.substring(0, first), summary.substring(first + 1, last),
                Integer.parseInt(summary.substring(last + 1)));
    }

    /** The hour {@code now} falls in, counted from the epoch: the unit of the 24-hour count. */
    public static long epochHour(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), 3600);
    }

    public Instant lastConnectionInstant() {
        return Instant.parse(lastConnectionAt);
    }
}
