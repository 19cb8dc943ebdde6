package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;

/** The states a read ahead may have seen: what each remembered write left, replayed onto the copy it started from. */
class WriteJournalTests {

    private static final ForwardedPort ONE = forward(50001, "192.168.1.10");
    private static final ForwardedPort TWO = forward(50002, "192.168.1.11");
    private static final ForwardedPort ONE_RETARGETED = forward(50001, "192.168.1.12");

    private final WriteJournal journal = new WriteJournal();

    @Test
    void replaysTheChangesAndRewritesAfterTheCopyNewestFirst() {
        journal.changed(4, change(List.of(), List.of(ONE)));
        journal.changed(5, change(List.of(), List.of(TWO)));
        journal.rewrote(6, List.of(ONE_RETARGETED));
        journal.changed(7, change(List.of(ONE_RETARGETED), List.of()));

        assertThat(journal.statesAfter(List.of(ONE), 4, 6)).hasValueSatisfying(states -> assertThat(states)
                .containsExactly(List.of(ONE_RETARGETED), set(ONE, TWO)));
    }

    @Test
    void noWriteAfterTheCopyLeavesNoOtherState() {
        journal.changed(4, change(List.of(), List.of(ONE)));

        assertThat(journal.statesAfter(List.of(ONE), 4, 4)).hasValue(List.of());
    }

    @Test
    void aWriteWithoutAnEntryRefusesTheReplay() {
        journal.changed(4, change(List.of(), List.of(ONE)));
        // write 5 failed: it left nothing known
        journal.changed(6, change(List.of(), List.of(TWO)));

        assertThat(journal.statesAfter(List.of(), 3, 6)).isEmpty();
        assertThat(journal.statesAfter(List.of(ONE), 4, 5)).isEmpty();
        assertThat(journal.statesAfter(List.of(ONE), 5, 6)).isPresent();
    }

    @Test
    void writesThatFellOutRefuseTheReplay() {
        for (long write = 1; write <= WriteJournal.CAPACITY + 1; write++) {
            journal.changed(write, change(List.of(), List.of()));
        }

        assertThat(journal.statesAfter(List.of(), 0, WriteJournal.CAPACITY + 1)).isEmpty();
        assertThat(journal.statesAfter(List.of(), 1, WriteJournal.CAPACITY + 1)).hasValueSatisfying(
                states -> assertThat(states).hasSize(WriteJournal.CAPACITY));
    }

    private static KernelMappings.Change change(List<ForwardedPort> closed, List<ForwardedPort> opened) {
        return new KernelMappings.Change(closed, opened);
    }

    /** A state as the journal lists it: in no order. */
    private static List<ForwardedPort> set(ForwardedPort... forwards) {
        return List.copyOf(KernelMappings.of(List.of(forwards)).forwards());
    }

    private static ForwardedPort forward(int port, String address) {
        return new ForwardedPort(ConnPort.of(port), LabAddress.of(address), TargetPort.of(22));
    }
}
