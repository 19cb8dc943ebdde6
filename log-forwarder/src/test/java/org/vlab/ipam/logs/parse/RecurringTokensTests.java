package org.vlab.ipam.logs.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RecurringTokensTests {

    private static final int LONGEST = 64;

    @Test
    void aRecurringTokenIsTheSameStringEachTime() {
        RecurringTokens tokens = new RecurringTokens(64, 64);

        String first = tokens.of("IN=ens160 OUT=ens192", 3, 9);
        String again = tokens.of("x IN=ens160 OUT=eth0", 5, 11);

        assertThat(first).isEqualTo("ens160");
        assertThat(again).isSameAs(first);
    }

    @Test
    void tokensThatMeetInTheOneSlotAreEachReadCorrectly() {
        RecurringTokens tokens = new RecurringTokens(1, 64);

        assertThat(tokens.of("ens160", 0, 6)).isEqualTo("ens160");
        assertThat(tokens.of("ens192", 0, 6)).isEqualTo("ens192");
        assertThat(tokens.of("ens160", 0, 6)).isEqualTo("ens160");
        // same length and same hash would still be told apart by the characters
        assertThat(tokens.of("Aa", 0, 2)).isEqualTo("Aa");
        assertThat(tokens.of("BB", 0, 2)).isEqualTo("BB");
    }

    @Test
    void aTokenLongerThanTheLongestKeptGetsAStringOfItsOwnEachTime() {
        RecurringTokens tokens = new RecurringTokens(64, LONGEST);
        String token = "p".repeat(LONGEST + 1);
        String line = " " + token + " ";

        String first = tokens.of(line, 1, line.length() - 1);

        assertThat(first).isEqualTo(token);
        assertThat(tokens.of(line, 1, line.length() - 1)).isEqualTo(token).isNotSameAs(first);
        String longest = tokens.of(line, 1, 1 + LONGEST);
        assertThat(tokens.of(line, 1, 1 + LONGEST)).hasSize(LONGEST)
                .isSameAs(longest);
    }

    @Test
    void everyRangeGivesWhatSubstringGives() {
        RecurringTokens tokens = new RecurringTokens(8, 64);
        Random random = new Random(14);
        // Latin-1 and wider characters, a surrogate pair among them, so both string layouts meet in a slot
        String alphabet = "ab:VLABFWD0123é \u2003\uD83D\uDE00";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder line = new StringBuilder();
            for (int i = random.nextInt(80); i > 0; i--) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            int from = random.nextInt(line.length() + 1);
            int to = from + random.nextInt(line.length() - from + 1);

            assertThat(tokens.of(line.toString(), from, to)).isEqualTo(line.substring(from, to));
        }
    }

    @Test
    void threadsSharingItAlwaysGetTheTokenTheyAskedFor() throws Exception {
        RecurringTokens tokens = new RecurringTokens(4, 64);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                work.add(() -> {
                    int wrong = 0;
                    for (int n = 0; n < 50_000; n++) {
                        String token = "VLABFWD:" + (50_000 + (n * 7 + thread) % 37);
                        String line = "x " + token + " IN=";
                        if (!tokens.of(line, 2, 2 + token.length()).equals(token)) {
                            wrong++;
                        }
                    }
                    return wrong;
                });
            }
            for (Future<Integer> wrong : threads.invokeAll(work)) {
                assertThat(wrong.get()).isZero();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void refusesASlotCountThatIsNotAPowerOfTwoAndAnEmptyLongestToken() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RecurringTokens(0, 64));
        assertThatIllegalArgumentException().isThrownBy(() -> new RecurringTokens(1000, 64))
                .withMessageContaining("power of two");
        assertThatIllegalArgumentException().isThrownBy(() -> new RecurringTokens(64, 0))
                .withMessageContaining("at least 1 character");
    }
}
