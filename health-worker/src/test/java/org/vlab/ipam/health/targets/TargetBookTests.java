package org.vlab.ipam.health.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.health.targets.ProbeTargetTests.mapping;
import static org.vlab.ipam.health.targets.ProbeTargetTests.snapshot;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.SnapshotUnavailableException;

/** What the book probes when snapshots come, fail or cannot be asked for, with the API played by the test. */
class TargetBookTests {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Deque<Object> answers = new ArrayDeque<>();
    private int requests;
    private final SnapshotSource source = () -> {
        requests++;
        Object answer = answers.isEmpty() ? snapshot() : answers.poll();
        if (answer instanceof RuntimeException failure) {
            throw failure;
        }
        return (SnapshotTaken) answer;
    };
    private final TargetBook book = new TargetBook(source, () -> null, WAIT);

    private static SnapshotTaken oneAddress(String address) {
        return snapshot(mapping(50001, address, 22, MappingState.APPLIED));
    }

    @Test
    void asksBeforeEveryCycleSoANewMappingIsProbedInTheNextOne() {
        answers.add(oneAddress("192.168.1.20"));
        answers.add(snapshot(mapping(50001, "192.168.1.20", 22, MappingState.APPLIED),
                mapping(50002, "192.168.1.30", 22, MappingState.PENDING)));

        assertThat(book.loaded()).isFalse();
        assertThat(book.targetsForNextCycle()).hasSize(1);
        assertThat(book.targetsForNextCycle()).extracting(target -> target.address().toString())
                .containsExactly("192.168.1.20", "192.168.1.30");

        assertThat(requests).isEqualTo(2);
        assertThat(book.loaded()).isTrue();
        assertThat(book.generation()).isEqualTo(7);
    }

    @Test
    void keepsTheKnownTargetsWhenNoSnapshotComesAndAsksAgainNextTime() {
        answers.add(oneAddress("192.168.1.20"));
        book.targetsForNextCycle();
        answers.add(new SnapshotUnavailableException("no snapshot answer within PT10S", null));
        answers.add(oneAddress("192.168.1.40"));

        assertThat(book.targetsForNextCycle()).singleElement()
                .extracting(target -> target.address().toString()).isEqualTo("192.168.1.20");
        assertThat(book.snapshotFailures()).isEqualTo(1);
        assertThat(book.targetsForNextCycle()).singleElement()
                .extracting(target -> target.address().toString()).isEqualTo("192.168.1.40");
        assertThat(requests).isEqualTo(3);
    }

    @Test
    void withoutAnySnapshotThereIsNothingToProbeAndItKeepsAsking() {
        answers.add(new SnapshotUnavailableException("no queue is bound for api.snapshot", null));
        answers.add(new SnapshotUnavailableException("no queue is bound for api.snapshot", null));

        assertThat(book.targetsForNextCycle()).isEmpty();
        assertThat(book.targetsForNextCycle()).isEmpty();
        assertThat(book.loaded()).isFalse();
        assertThat(book.targetsForNextCycle()).isEmpty();

        assertThat(requests).isEqualTo(3);
        assertThat(book.loaded()).isTrue();
    }

    @Test
    void whileTheBrokerIsKnownDownItKeepsItsTargetsWithoutAskingAndAsksOnceItIsBack() {
        String[] down = {null};
        TargetBook watching = new TargetBook(source, () -> down[0], WAIT);
        answers.add(oneAddress("192.168.1.20"));
        watching.targetsForNextCycle();
        down[0] = "the connection was lost";

        assertThat(watching.targetsForNextCycle()).extracting(target -> target.address().toString())
                .containsExactly("192.168.1.20");
        assertThat(watching.targetsForNextCycle()).hasSize(1);
        assertThat(requests).as("no request while known down").isEqualTo(1);

        down[0] = null;
        answers.add(oneAddress("192.168.1.30"));
        assertThat(watching.targetsForNextCycle()).extracting(target -> target.address().toString())
                .containsExactly("192.168.1.30");
        assertThat(requests).isEqualTo(2);
    }

    @Test
    void aSnapshotSlowerThanTheWaitLeavesTheCycleTheKnownTargetsAndServesTheNextOne() {
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        int[] slowRequests = {0};
        TargetBook slow = new TargetBook(() -> {
            if (slowRequests[0]++ == 0) {
                return oneAddress("192.168.1.20");
            }
            try {
                answered.await();
            } catch (InterruptedException e) {
                throw new SnapshotUnavailableException("interrupted", e);
            }
            return oneAddress("192.168.1.30");
        }, () -> null, Duration.ofMillis(200));
        slow.targetsForNextCycle();

        long started = System.nanoTime();
        assertThat(slow.targetsForNextCycle()).extracting(target -> target.address().toString())
                .containsExactly("192.168.1.20");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited the wait, not the answer")
                .isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
        assertThat(slow.targetsForNextCycle()).as("the request still out is not sent twice").hasSize(1);
        assertThat(slowRequests[0]).isEqualTo(2);

        answered.countDown();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> slow.generation() == 7
                && slow.targetsForNextCycle().get(0).address().toString().equals("192.168.1.30"));
        slow.close();
    }
}
