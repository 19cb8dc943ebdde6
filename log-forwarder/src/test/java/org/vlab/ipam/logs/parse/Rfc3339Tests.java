package org.vlab.ipam.logs.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The positional RFC 3339 reader agrees with OffsetDateTime.parse, and leaves everything else to it. */
class Rfc3339Tests {

    @Test
    void agreesWithOffsetDateTimeParseOnRsyslogsLayout() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(26 * 4) - 12 * 4) * 15 * 60);
            int digits = random.nextInt(10);
            String pattern = "yyyy-MM-dd'T'HH:mm:ss" + (digits == 0 ? "" : "." + "S".repeat(digits)) + "XXX";
            String text = DateTimeFormatter.ofPattern(pattern).format(instant.atOffset(offset));

            assertThat(Rfc3339.parse(text, text.length())).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @Test
    void leavesOtherLayoutsAndImpossibleDatesToTheFallback() {
        for (String text : List.of("2026-11-20T09:30:56.-05:00", "2026-11-20 09:30:56Z", "2026-02-30T09:30:56Z",
                "2026-11-20T24:00:00Z", "2026-11-20T09:30:56+5:00", "2026-11-20T09:30:56", "2026-11-20T09:30:56z",
                "2026-11-20T09:30:56+05:00:00", "+2026-11-20T09:30:56Z")) {
            assertThat(Rfc3339.parse(text, text.length())).as(text).isNull();
        }
    }
}
