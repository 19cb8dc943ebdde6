package org.vlab.ipam.health.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.health.targets.ProbeTargetTests.mapping;
import static org.vlab.ipam.health.targets.ProbeTargetTests.snapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.SnapshotUnavailableException;

/** When the book asks for a snapshot, with the API played by the test. */
class TargetBookTests {

    private static final Duration REFRESH = Duration.ofMinutes(15);

    private final Deque<Object> answers = new ArrayDeque<>();
    private int requests;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final SnapshotSource source = () -> {
        requests++;
        Object answer = answers.isEmpty() ? snapshot() : answers.poll();
        if (answer instanceof RuntimeException failure) {
            throw failure;
        }
        return (SnapshotTaken) answer;
    };
    private final TargetBook book = new TargetBook(source, clock, REFRESH, () -> null);

    private static SnapshotTaken oneAddress(String address) {
        return snapshot(mapping(50001, address, 22, MappingState.APPLIED));
    }

    @Test
    void asksAtStartAndNotAgainWhileFresh() {
        answers.add(oneAddress("192.168.1.20"));

        assertThat(book.loaded()).isFalse();
        assertThat(book.targetsForNextCycle()).hasSize(1);
        now = now.plus(REFRESH).minusSeconds(1);
        book.targetsForNextCycle();

        assertThat(requests).isEqualTo(1);
        assertThat(book.loaded()).isTrue();
        assertThat(book.generation()).isEqualTo(7);
    }

    @Test
    void asksOnceBeforeTheNextCycleHoweverManyEventsMarkedItStale() {
        book.targetsForNextCycle();
        answers.add(oneAddress("192.168.1.30"));

        for (int i = 0; i < 50; i++) {
            book.markStale("port " + i + " was applied");
        }
        assertThat(requests).isEqualTo(1);
        assertThat(book.targetsForNextCycle()).singleElement()
                .extracting(target -> target.address().toString()).isEqualTo("192.168.1.30");
        book.targetsForNextCycle();

        assertThat(requests).isEqualTo(2);
    }

    @Test
    void asksAgainWhenTheSnapshotIsOlderThanTheRefreshInterval() {
        book.targetsForNextCycle();
        now = now.plus(REFRESH);

        book.targetsForNextCycle();

        assertThat(requests).isEqualTo(2);
    }

    @Test
    void keepsTheKnownTargetsWhenNoSnapshotComesAndAsksAgainNextTime() {
        answers.add(oneAddress("192.168.1.20"));
        book.targetsForNextCycle();
        book.markStale("port 50002 was applied");
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
        TargetBook watching = new TargetBook(source, clock, REFRESH, () -> down[0]);
        answers.add(oneAddress("192.168.1.20"));
        watching.targetsForNextCycle();
        watching.markStale("port 50002 was applied at generation 2");
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
}
