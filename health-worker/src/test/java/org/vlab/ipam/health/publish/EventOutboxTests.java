package org.vlab.ipam.health.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.ShutdownSignalException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;
import org.vlab.ipam.messaging.PublishFailedException;
import org.vlab.ipam.messaging.PublishFailedException.Reason;

/** The outbox with the broker played by the test: what it holds, when it tries, what it drops. */
class EventOutboxTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration RETRY = Duration.ofMillis(500);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerLink link = new BrokerLink();
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    private final List<String> publishedIds = new CopyOnWriteArrayList<>();
    private final List<Instant> published = new CopyOnWriteArrayList<>();
    private final List<Instant> confirmed = new CopyOnWriteArrayList<>();
    private volatile Function<ReachabilityObserved, CompletableFuture<Void>> broker = event -> CompletableFuture
            .completedFuture(null);
    private EventOutbox outbox;

    private final MessagePublisher publisher = new MessagePublisher() {
        @Override
        public CompletableFuture<Void> publish(IpamMessage message, MessageMetadata metadata) {
            ReachabilityObserved event = (ReachabilityObserved) message;
            attempts.add(metadata.messageId());
            CompletableFuture<Void> answer = broker.apply(event);
            return answer.thenRun(() -> {
                publishedIds.add(metadata.messageId());
                published.add(event.observedAt());
            });
        }

        @Override
        public CompletableFuture<Void> reply(SnapshotTaken snapshot, String replyTo, String correlationId) {
            throw new UnsupportedOperationException();
        }
    };

    private void start(int capacity) {
        outbox = new EventOutbox(publisher, link, capacity, RETRY, Duration.ofMillis(500), registry);
        outbox.start();
    }

    @AfterEach
    void stop() {
        if (outbox != null) {
            outbox.stop();
        }
    }

    private static ReachabilityObserved observedAt(int second) {
        return new ReachabilityObserved(GatewayId.of("gw"), LabAddress.of("192.168.1.20"), null, List.of(), true, false,
                null, T0.plusSeconds(second));
    }

    private void offer(int second) {
        ReachabilityObserved event = observedAt(second);
        outbox.offer(event, () -> confirmed.add(event.observedAt()));
    }

    private static CompletableFuture<Void> unreachable() {
        return CompletableFuture.failedFuture(new PublishFailedException(Reason.BROKER_UNREACHABLE, "could not publish",
                new ConnectException("connect timed out")));
    }

    private double failures(String stage) {
        return registry.get("ipam.health.failures").tag("stage", stage).counter().count();
    }

    @Test
    void holdsEventsInOrderWhileTheBrokerIsUnreachableAndPublishesThemWithTheirIdsOnceItIsBack() {
        broker = event -> unreachable();
        start(100);
        for (int second = 0; second < 5; second++) {
            offer(second);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.size() >= 2);
        assertThat(outbox.size()).isEqualTo(5);

        broker = event -> CompletableFuture.completedFuture(null);

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 5);
        assertThat(published).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3),
                T0.plusSeconds(4));
        assertThat(confirmed).containsExactlyElementsOf(published);
        assertThat(attempts).as("every attempt of an event reuses its message id").allMatch(publishedIds::contains)
                .containsOnlyOnceElementsOf(publishedIds.subList(1, 5));
        assertThat(publishedIds).doesNotHaveDuplicates();
        assertThat(outbox.size()).isZero();
        assertThat(failures("publish")).isPositive();
        assertThat(failures("dropped")).isZero();
    }

    @Test
    void whileTheLinkIsKnownDownItTriesOneEventPerRetryInterval() {
        link.onFailed(new ConnectException("connect timed out"));
        broker = event -> unreachable();
        start(100);
        for (int second = 0; second < 20; second++) {
            offer(second);
        }

        await().during(Duration.ofMillis(RETRY.toMillis() * 4)).atMost(Duration.ofSeconds(5))
                .until(() -> attempts.size() <= 6);
        assertThat(attempts).as("one event per try, never the batch").hasSizeBetween(2, 6);

        broker = event -> CompletableFuture.completedFuture(null);
        link.onCreate(null);

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 20);
        assertThat(published).isSorted();
    }

    @Test
    void aNewConnectionWakesItAtOnce() {
        link.onShutDown(new ShutdownSignalException(true, false, null, null));
        start(100);
        offer(0);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(attempts::isEmpty);

        link.onCreate(null);

        await().atMost(Duration.ofMillis(200)).until(() -> published.size() == 1);
    }

    @Test
    void anEventNoQueueTakesIsDroppedAndCountedAndTheOthersGoOn() {
        broker = event -> event.observedAt().equals(T0.plusSeconds(1))
                ? CompletableFuture.failedFuture(new PublishFailedException(Reason.UNROUTABLE, "no queue", null))
                : CompletableFuture.completedFuture(null);
        start(100);

        offer(0);
        offer(1);
        offer(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        assertThat(published).containsExactly(T0, T0.plusSeconds(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> failures("dropped") == 1.0);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aNegativeConfirmIsTriedAgainAsAClosingChannelNacksWhatItHeld() {
        AtomicInteger nacks = new AtomicInteger();
        broker = event -> nacks.getAndIncrement() == 0
                ? CompletableFuture.failedFuture(new PublishFailedException(Reason.REFUSED,
                        "broker refused reachability.observed: Channel closed by application", null))
                : CompletableFuture.completedFuture(null);
        start(100);

        offer(0);

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        assertThat(attempts).hasSize(2);
        assertThat(failures("dropped")).isZero();
    }

    @Test
    void aFullOutboxDropsTheOldestAndCountsThem() {
        link.onFailed(new ConnectException("refused"));
        AtomicInteger tried = new AtomicInteger();
        broker = event -> {
            tried.incrementAndGet();
            return unreachable();
        };
        start(3);

        for (int second = 0; second < 5; second++) {
            offer(second);
        }
        broker = event -> CompletableFuture.completedFuture(null);
        link.onCreate(null);

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 3);
        assertThat(published).containsExactly(T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(4));
        assertThat(failures("dropped")).isEqualTo(2.0);
    }
}
