package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.logs.forward.ConfirmWindowTests.FILE_A;
import static org.vlab.ipam.logs.forward.ConfirmWindowTests.FILE_B;
import static org.vlab.ipam.logs.forward.ConfirmWindowTests.batch;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of the batches ready together go out as one group, behind one checkpoint write. */
class ForwardingSessionTests {

    private final Batch first = batch(FILE_A, 0, 100);
    private final Batch second = batch(FILE_A, 100, 250);
    private final Batch third = batch(FILE_A, 250, 300);

    @Test
    void aGroupTakesConsecutiveBatchesUpToTheRoomInTheWindow() {
        assertThat(ForwardingSession.group(List.of(first, second, third), 3)).containsExactly(first, second, third);
        assertThat(ForwardingSession.group(List.of(first, second, third), 2)).containsExactly(first, second);
        assertThat(ForwardingSession.group(List.of(first, second, third), 1)).containsExactly(first);
    }

    @Test
    void aGroupEndsWhereTheNextBatchIsOfAnotherFileOrDoesNotFollowOn() {
        assertThat(ForwardingSession.group(List.of(first, batch(FILE_B, 100, 200), second), 3)).containsExactly(first);
        assertThat(ForwardingSession.group(List.of(first, second, batch(FILE_A, 260, 300)), 3))
                .containsExactly(first, second);
    }
}
