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

    @Test
    void aRecurringTokenIsTheSameStringEachTime() {
        RecurringTokens tokens = new RecurringTokens(64);

        String first = tokens.of("IN=ens160 OUT=ens192", 3, 9);
        String again = tokens.of("x IN=ens160 OUT=eth0", 5, 11);

        assertThat(first).isEqualTo("ens160");
        assertThat(again).isSameAs(first);
    }

    @Test
    void tokensThatMeetInTheOneSlotAreEachReadCorrectly() {
        RecurringTokens tokens = new RecurringTokens(1);

        assertThat(tokens.of("ens160", 0, 6)).isEqualTo("ens160");
        assertThat(tokens.of("ens192", 0, 6)).isEqualTo("ens192");
        assertThat(tokens.of("ens160", 0, 6)).isEqualTo("ens160");
        // same length and same hash would still be told apart by the characters
        assertThat(tokens.of("Aa", 0, 2)).isEqualTo("Aa");
        assertThat(tokens.of("BB", 0, 2)).isEqualTo("BB");
    }

    @Test
    void aTokenLongerThanAnyPrefixGetsAStringOfItsOwnEachTime() {
        RecurringTokens tokens = new RecurringTokens(64);
        String token = "p".repeat(RecurringTokens.MAX_LENGTH + 1);
        String line = " " + token + " ";

        String first = tokens.of(line, 1, line.length() - 1);

        assertThat(first).isEqualTo(token);
        assertThat(tokens.of(line, 1, line.length() - 1)).isEqualTo(token).isNotSameAs(first);
        String longest = tokens.of(line, 1, 1 + RecurringTokens.MAX_LENGTH);
        assertThat(tokens.of(line, 1, 1 + RecurringTokens.MAX_LENGTH)).hasSize(RecurringTokens.MAX_LENGTH)
                .isSameAs(longest);
    }

    @Test
    void everyRangeGivesWhatSubstringGives() {
        RecurringTokens tokens = new RecurringTokens(8);
        Random random = new Random(14);
        String alphabet = "ab:VLABFWD0123é ";
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
    void threadsSharingTheTokensEachGetTheirOwnTokens() throws Exception {
        RecurringTokens tokens = new RecurringTokens(4);
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
    void refusesASlotCountThatIsNotAPowerOfTwo() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RecurringTokens(0));
        assertThatIllegalArgumentException().isThrownBy(() -> new RecurringTokens(1000))
                .withMessageContaining("power of two");
    }
}
