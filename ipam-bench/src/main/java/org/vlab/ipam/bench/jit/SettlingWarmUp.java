package org.vlab.ipam.bench.jit;

/**
 * Warm-up rounds until the watched processes' JIT compilers have settled: after each round,
 * the compilers' share of the CPU the processes used in that round is compared with a
 * threshold, and the warm-up ends at the first round below it, or after a most rounds.
 * Without processes to watch, one round.
 */
public final class SettlingWarmUp {

    private final CompilerActivity activity;
    private final double settledPercent;
    private final int maxRounds;

    /** {@code activity} null: one round, nothing watched. */
    public SettlingWarmUp(CompilerActivity activity, double settledPercent, int maxRounds) {
        if (maxRounds < 1 || settledPercent <= 0 || settledPercent > 100) {
            throw new IllegalArgumentException("need at least one round and a threshold in (0, 100] %; got "
                    + maxRounds + ", " + settledPercent);
        }
        this.activity = activity;
        this.settledPercent = settledPercent;
        this.maxRounds = activity == null ? 1 : maxRounds;
    }

    /** One round of the warm-up, numbered from 0. */
    @FunctionalInterface
    public interface Round {
        void run(int number) throws InterruptedException;
    }

    /** How the warm-up ended: rounds run, the compilers' share in the last (NaN when unwatched), whether settled. */
    public record Outcome(int rounds, double lastCompilerPercent, boolean settled) {
    }

    public Outcome run(Round round) throws InterruptedException {
        double percent = Double.NaN;
        for (int number = 0; number < maxRounds; number++) {
            CompilerActivity.Ticks before = activity == null ? null : activity.read();
            round.run(number);
            if (activity == null) {
                return new Outcome(1, Double.NaN, false);
            }
            percent = activity.read().compilerPercentSince(before);
            if (percent < settledPercent) {
                return new Outcome(number + 1, percent, true);
            }
        }
        return new Outcome(maxRounds, percent, false);
    }
}
