package org.vlab.ipam.health.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.LabAddress;

class VerdictsTests {

    private static final LabAddress HOST = LabAddress.of("192.168.1.20");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Verdicts verdicts = new Verdicts(2);
    private int cycle;

    /** Judges one cycle and, like a confirmed publish, announces what was published. */
    private Judgement cycle(boolean answered) {
        Judgement judgement = verdicts.judge(HOST, answered, T0.plusSeconds(300L * cycle++));
        verdicts.announced(HOST, judgement.routable());
        return judgement;
    }

    @Test
    void firstObservationIsDeclaredAtOnceWithoutBeingAChange() {
        Judgement first = cycle(false);

        assertThat(first.routable()).isFalse();
        assertThat(first.changed()).isFalse();
        assertThat(first.lastSeenAlive()).isNull();
    }

    @Test
    void verdictChangesOnlyAfterTheConfiguredNumberOfAgreeingCycles() {
        cycle(true);

        Judgement firstMiss = cycle(false);
        Judgement secondMiss = cycle(false);
        Judgement thirdMiss = cycle(false);

        assertThat(firstMiss).extracting(Judgement::routable, Judgement::changed).containsExactly(true, false);
        assertThat(secondMiss).extracting(Judgement::routable, Judgement::changed).containsExactly(false, true);
        assertThat(thirdMiss).extracting(Judgement::routable, Judgement::changed).containsExactly(false, false);
    }

    @Test
    void recoveryNeedsAgreeingCyclesToo() {
        cycle(false);

        assertThat(cycle(true).routable()).isFalse();
        Judgement back = cycle(true);

        assertThat(back.routable()).isTrue();
        assertThat(back.changed()).isTrue();
    }

    @Test
    void aFlappingHostNeverChangesItsVerdict() {
        cycle(true);
        List<Judgement> flapping = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            flapping.add(cycle(i % 2 == 1));
        }

        assertThat(flapping).allSatisfy(judgement -> {
            assertThat(judgement.routable()).isTrue();
            assertThat(judgement.changed()).isFalse();
        });
    }

    @Test
    void oneCycleSettingChangesAtOnce() {
        Verdicts immediate = new Verdicts(1);
        immediate.judge(HOST, true, T0);
        immediate.announced(HOST, true);

        Judgement down = immediate.judge(HOST, false, T0.plusSeconds(300));

        assertThat(down.routable()).isFalse();
        assertThat(down.changed()).isTrue();
    }

    @Test
    void aChangeWhoseEventWasNotConfirmedIsReportedAgainNextCycle() {
        cycle(true);
        cycle(false);
        Judgement flipped = verdicts.judge(HOST, false, T0.plusSeconds(600));
        // no announced(): the broker did not confirm the event that carried the change

        Judgement next = cycle(false);
        Judgement after = cycle(false);

        assertThat(flipped.changed()).isTrue();
        assertThat(next.changed()).as("repeated until confirmed").isTrue();
        assertThat(after.changed()).isFalse();
    }

    @Test
    void aChangeUndoneBeforeItWasAnnouncedIsNoChange() {
        cycle(true);
        cycle(false);
        verdicts.judge(HOST, false, T0.plusSeconds(600)); // flips to false, never confirmed
        verdicts.judge(HOST, true, T0.plusSeconds(900));

        Judgement back = verdicts.judge(HOST, true, T0.plusSeconds(1200));

        assertThat(back.routable()).isTrue();
        assertThat(back.changed()).as("subscribers were last told routable, which it is").isFalse();
    }

    @Test
    void aChangeBeforeAnyEventWasConfirmedIsComparedWithTheFirstVerdict() {
        // the broker is down from the start: nothing is ever announced
        verdicts.judge(HOST, true, T0);
        verdicts.judge(HOST, false, T0.plusSeconds(300));
        Judgement flipped = verdicts.judge(HOST, false, T0.plusSeconds(600));
        Judgement still = verdicts.judge(HOST, false, T0.plusSeconds(900));
        verdicts.announced(HOST, still.routable());
        Judgement afterConfirm = verdicts.judge(HOST, false, T0.plusSeconds(1200));

        assertThat(flipped).extracting(Judgement::routable, Judgement::changed).containsExactly(false, true);
        assertThat(still.changed()).as("repeated until an event got through").isTrue();
        assertThat(afterConfirm.changed()).isFalse();
    }

    @Test
    void aFlipBackBeforeAnyConfirmIsNoChange() {
        verdicts.judge(HOST, true, T0);
        verdicts.judge(HOST, false, T0.plusSeconds(300));
        verdicts.judge(HOST, false, T0.plusSeconds(600));
        verdicts.judge(HOST, true, T0.plusSeconds(900));

        Judgement back = verdicts.judge(HOST, true, T0.plusSeconds(1200));

        assertThat(back).extracting(Judgement::routable, Judgement::changed).containsExactly(true, false);
    }

    @Test
    void anUnjudgedCycleKeepsTheVerdictAndTheStreak() {
        cycle(true);
        cycle(false); // one disagreeing cycle of the two needed

        Judgement broken = verdicts.unjudged(HOST).orElseThrow();
        Judgement nextMiss = cycle(false);

        assertThat(broken).extracting(Judgement::routable, Judgement::changed).containsExactly(true, false);
        assertThat(broken.lastSeenAlive()).isEqualTo(T0);
        assertThat(nextMiss).as("the broken cycle neither reset nor extended the streak")
                .extracting(Judgement::routable, Judgement::changed).containsExactly(false, true);
    }

    @Test
    void anAddressWithoutAVerdictGetsNoneFromAnUnjudgedCycle() {
        assertThat(verdicts.unjudged(HOST)).isEmpty();
        assertThat(verdicts.size()).isZero();
    }

    @Test
    void lastSeenAliveIsTheLastCycleThatAnsweredWhateverTheVerdict() {
        cycle(true);
        Judgement alive = cycle(true);
        Judgement silent = cycle(false);

        assertThat(alive.lastSeenAlive()).isEqualTo(T0.plusSeconds(300));
        assertThat(silent.lastSeenAlive()).isEqualTo(T0.plusSeconds(300));
    }

    @Test
    void forgottenAddressStartsAfreshWhenItComesBack() {
        cycle(true);
        cycle(false);

        verdicts.retainOnly(Set.of());
        Judgement again = verdicts.judge(HOST, false, T0.plusSeconds(3000));

        assertThat(verdicts.size()).isEqualTo(1);
        assertThat(again.routable()).isFalse();
        assertThat(again.changed()).isFalse();
        assertThat(again.lastSeenAlive()).isNull();
    }

    @Test
    void addressesAreJudgedIndependently() {
        LabAddress other = LabAddress.of("192.168.1.21");
        cycle(true);
        verdicts.judge(other, false, T0);

        cycle(false);
        Judgement otherAgain = verdicts.judge(other, false, T0.plusSeconds(300));

        assertThat(otherAgain.routable()).isFalse();
        assertThat(verdicts.judge(HOST, false, T0.plusSeconds(600)).routable()).isFalse();
    }

    @Test
    void refusesAZeroCycleSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Verdicts(0)).withMessageContaining("at least 1");
    }
}
