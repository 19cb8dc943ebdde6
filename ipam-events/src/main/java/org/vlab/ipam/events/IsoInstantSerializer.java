package org.vlab.ipam.events;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdScalarSerializer;

/**
 * Writes an {@link Instant} exactly as {@link Instant#toString()} does (ISO-8601 in UTC, the
 * fraction in groups of three digits, none when zero), which is what Jackson writes by default,
 * but without a {@code DateTimeFormatter}: the log forwarder writes one instant per record, and
 * the formatter was a third of its JSON time. Years outside 0000-9999 are left to
 * {@code toString()}, which writes them with a sign. The mapper has no per-property date formats
 * ({@code @JsonFormat}) and writes instants as text, so nothing else of Jackson's own
 * serializer is needed.
 */
final class IsoInstantSerializer extends StdScalarSerializer<Instant> {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years written with four digits and no sign. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;
    private static final int MAX_LENGTH = "yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ".length();

    IsoInstantSerializer() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
        char[] text = new char[MAX_LENGTH];
        int length = write(value, text);
        if (length < 0) {
            generator.writeString(value.toString());
        } else {
            generator.writeString(text, 0, length);
        }
    }

    /** Writes the instant into {@code text} (at least 30 characters); its length, or -1 for a year outside 0000-9999. */
    static int write(Instant instant, char[] text) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return -1;
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        int at = digits(text, 0, time.getYear(), 4);
        text[at++] = '-';
        at = digits(text, at, time.getMonthValue(), 2);
        text[at++] = '-';
        at = digits(text, at, time.getDayOfMonth(), 2);
        text[at++] = 'T';
        at = digits(text, at, time.getHour(), 2);
        text[at++] = ':';
        at = digits(text, at, time.getMinute(), 2);
        text[at++] = ':';
        at = digits(text, at, time.getSecond(), 2);
        return fractionAndZone(instant.getNano(), text, at);
    }

    /**
     * Writes what follows the seconds ({@code .nnn}, {@code .nnnnnn} or {@code .nnnnnnnnn}, none
     * when zero, then {@code Z}) into {@code text} from {@code from}; returns the index after it.
     */
    static int fractionAndZone(int nano, char[] text, int from) {
        int at = from;
        if (nano != 0) {
            text[at++] = '.';
            if (nano % 1_000_000 == 0) {
                at = digits(text, at, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                at = digits(text, at, nano / 1_000, 6);
            } else {
                at = digits(text, at, nano, 9);
            }
        }
        text[at++] = 'Z';
        return at;
    }

    /** Writes {@code value} with exactly {@code count} digits, zero-padded; returns the index after them. */
    private static int digits(char[] text, int at, int value, int count) {
        int remaining = value;
        for (int i = at + count - 1; i >= at; i--) {
            text[i] = (char) ('0' + remaining % 10);
            remaining /= 10;
        }
        return at + count;
    }
}
