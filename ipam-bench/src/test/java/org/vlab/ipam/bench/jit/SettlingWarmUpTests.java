package org.vlab.ipam.bench.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rounds until the compilers' share falls, on a /proc tree each round advances. */
class SettlingWarmUpTests {

    @TempDir
    Path proc;

    @Test
    void stopsAtTheFirstRoundWhoseCompilersUsedLessThanTheThreshold() throws Exception {
        // per round: 100 ticks in all, of which the compilers used 60, 30, 8, 5
        long[] compilers = {60, 30, 8, 5};
        List<Integer> ran = new ArrayList<>();
        write(0, 0);
        SettlingWarmUp.Outcome outcome = new SettlingWarmUp(new CompilerActivity(proc, List.of(7L)), 10, 20)
                .run(round -> {
                    ran.add(round);
                    write(100L * (round + 1), sum(compilers, round));
                });
        assertThat(ran).containsExactly(0, 1, 2);
        assertThat(outcome).isEqualTo(new SettlingWarmUp.Outcome(3, 8.0, true));
    }

    @Test
    void givesUpAfterTheMostRoundsUnsettled() throws Exception {
        write(0, 0);
        SettlingWarmUp.Outcome outcome = new SettlingWarmUp(new CompilerActivity(proc, List.of(7L)), 10, 3)
                .run(round -> write(100L * (round + 1), 50L * (round + 1)));
        assertThat(outcome).isEqualTo(new SettlingWarmUp.Outcome(3, 50.0, false));
    }

    @Test
    void withNothingWatchedRunsOneRound() throws Exception {
        List<Integer> ran = new ArrayList<>();
        SettlingWarmUp.Outcome outcome = new SettlingWarmUp(null, 10, 20).run(ran::add);
        assertThat(ran).containsExactly(0);
        assertThat(outcome.rounds()).isEqualTo(1);
        assertThat(outcome.settled()).isFalse();
    }

    @Test
    void refusesNoRoundsAndAThresholdOutsideAPercentage() {
        assertThatThrownBy(() -> new SettlingWarmUp(null, 10, 0)).hasMessageContaining("at least one round");
        assertThatThrownBy(() -> new SettlingWarmUp(null, 0, 5)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new SettlingWarmUp(null, 101, 5)).hasMessageContaining("threshold");
    }

    private static long sum(long[] values, int upTo) {
        long sum = 0;
        for (int i = 0; i <= upTo; i++) {
            sum += values[i];
        }
        return sum;
    }

    /** Process 7 has used {@code total} ticks so far, {@code compilers} of them in its C2 thread. */
    private void write(long total, long compilers) {
        try {
            Path task = Files.createDirectories(proc.resolve("7/task/8"));
            Files.writeString(proc.resolve("7/stat"), "7 (java) S 1 7 7 0 -1 0 0 0 0 0 " + total + " 0 0 0 20 0\n");
            Files.writeString(task.resolve("comm"), "C2 CompilerThre\n");
            Files.writeString(task.resolve("stat"), "8 (C2 CompilerThre) S 1 7 7 0 -1 0 0 0 0 0 " + compilers
                    + " 0 0 0 20 0\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
