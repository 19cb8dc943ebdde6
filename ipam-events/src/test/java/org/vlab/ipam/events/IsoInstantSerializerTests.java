package org.vlab.ipam.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantSerializerTests {

    private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void writesWhatInstantToStringWritesAcrossFourDigitYears() {
        SplittableRandom random = new SplittableRandom(20261205);
        for (int n = 0; n < 200_000; n++) {
            long second = random.nextLong(FIRST_SECOND, LAST_SECOND + 1);
            int nano = switch (n % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            assertWrittenAsToString(Instant.ofEpochSecond(second, nano));
        }
    }

    @Test
    void writesTheEdgesOfTheRangeAndTheSignedYearsBeyondIt() {
        List<Instant> edges = List.of(Instant.ofEpochSecond(FIRST_SECOND), Instant.ofEpochSecond(FIRST_SECOND - 1),
                Instant.ofEpochSecond(LAST_SECOND, 999_999_999), Instant.ofEpochSecond(LAST_SECOND + 1), Instant.EPOCH,
                Instant.ofEpochSecond(-1, 1), Instant.MIN, Instant.MAX, Instant.parse("2024-02-29T23:59:59.000001Z"),
                Instant.parse("2026-11-20T14:30:56.693495Z"), Instant.parse("2026-11-20T14:30:56.100Z"));
        edges.forEach(IsoInstantSerializerTests::assertWrittenAsToString);
    }

    @Test
    void readsBackWhatItWrites() {
        Instant instant = Instant.parse("2026-11-20T14:30:56.693495Z");

        String json = IpamJson.mapper().writeValueAsString(instant);

        assertThat(IpamJson.mapper().readValue(json, Instant.class)).isEqualTo(instant);
    }

    /** By the writer itself (the mapper's output alone would pass with Jackson's own serializer too) and by the mapper. */
    private static void assertWrittenAsToString(Instant instant) {
        char[] text = new char[30];
        int length = IsoInstantSerializer.write(instant, text);
        if (length >= 0) {
            assertThat(new String(text, 0, length)).isEqualTo(instant.toString());
        } else {
            assertThat(instant.getEpochSecond() < FIRST_SECOND || instant.getEpochSecond() > LAST_SECOND)
                    .as("left to toString(): %s", instant).isTrue();
        }
        assertThat(IpamJson.mapper().writeValueAsString(instant)).isEqualTo("\"" + instant + "\"");
    }
}
