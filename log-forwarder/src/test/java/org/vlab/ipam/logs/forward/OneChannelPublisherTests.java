package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Address;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.LogSource;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.logs.BrokerRelay;
import org.vlab.ipam.logs.SampleLines;
import org.vlab.ipam.messaging.EncodedMessage;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.PublishFailedException;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The forwarder's publisher on the real broker: a batch no queue takes fails as unroutable
 * however many times it is out on the channel at once (a batch is sent again when its confirm
 * timed out, under the same message id), and one a queue takes is confirmed.
 */
@IntegrationTest
class OneChannelPublisherTests {

    private static final String ID = "0:1:0123456789abcdef@0-279";
    private static final int COPIES = 50;
    private static final EncodedMessage BATCH = EncodedMessage.of(new FirewallLogBatch(LogForwarderTests.ALICE,
            new LogSource("0:1:0123456789abcdef", 0, 279), List.of(SampleLines.record(0, LogForwarderTests.ALICE))));

    @Test
    void aBatchOutManyTimesOnTheChannelWithNoQueueBoundFailsAsUnroutableEveryTime(TestVhost vhost) {
        RabbitAdmin admin = new RabbitAdmin(vhost.connectionFactory());
        admin.deleteQueue(Topology.CENTRAL_LOG_QUEUE);
        admin.declareExchange(new TopicExchange(Topology.LOGS_EXCHANGE, true, false));
        try (OneChannelPublisher publisher = publisher(vhost)) {
            // many at once, so that the broker returns several before it confirms them together
            List<CompletableFuture<Void>> confirms = IntStream.range(0, COPIES)
                    .mapToObj(copy -> publisher.publish(BATCH, new MessageMetadata(ID, ID))).toList();

            for (CompletableFuture<Void> confirm : confirms) {
                assertThatThrownBy(confirm::join).isInstanceOf(CompletionException.class)
                        .cause().isInstanceOfSatisfying(PublishFailedException.class,
                                failed -> assertThat(failed.reason()).isEqualTo(PublishFailedException.Reason.UNROUTABLE));
            }
        }
    }

    @Test
    void aBatchAQueueTakesIsConfirmed(TestVhost vhost) {
        RabbitAdmin admin = new RabbitAdmin(vhost.connectionFactory());
        TopicExchange logs = new TopicExchange(Topology.LOGS_EXCHANGE, true, false);
        Queue queue = new Queue("one-channel-publisher-tests", false, false, true);
        admin.declareExchange(logs);
        admin.declareQueue(queue);
        Binding binding = BindingBuilder.bind(queue).to(logs).with("#");
        admin.declareBinding(binding);
        try (OneChannelPublisher publisher = publisher(vhost)) {
            publisher.publish(BATCH, new MessageMetadata(ID, ID)).join();
            publisher.publish(BATCH, new MessageMetadata(ID, ID)).join();

            assertThat(admin.getQueueInfo(queue.getName()).getMessageCount()).isEqualTo(2);
        } finally {
            admin.removeBinding(binding);
            admin.deleteQueue(queue.getName());
        }
    }

    /**
     * A broker that stops reading (a memory or disk alarm blocks publishers so) leaves a publish
     * stuck writing to a full socket. Closing the publisher on shutdown must still return, and
     * the stuck publish fail, or the service never stops until it is killed.
     */
    @Test
    void closingWhileAPublishIsStuckOnASocketTheBrokerStoppedReadingReturnsAndFailsThatPublish(TestVhost vhost)
            throws Exception {
        CachingConnectionFactory connections = vhost.connectionFactory();
        EncodedMessage large = EncodedMessage.of(new FirewallLogBatch(LogForwarderTests.ALICE,
                new LogSource("0:1:0123456789abcdef", 0, 279), IntStream.range(0, 2_000)
                        .mapToObj(n -> SampleLines.record(n, LogForwarderTests.ALICE)).toList()));
        try (BrokerRelay relay = new BrokerRelay(connections.getHost(), connections.getPort()).start()) {
            OneChannelPublisher publisher = publisher(vhost, relay.port());
            new RabbitAdmin(connections).declareExchange(new TopicExchange(Topology.LOGS_EXCHANGE, true, false));
            publisher.publish(BATCH, new MessageMetadata(ID, ID)).exceptionally(unroutable -> null).join();
            relay.holdUpstream();
            AtomicLong publishStarted = new AtomicLong();
            CompletableFuture<CompletableFuture<Void>> stuck = CompletableFuture.supplyAsync(() -> {
                while (true) {
                    publishStarted.set(System.nanoTime());
                    CompletableFuture<Void> confirm = publisher.publish(large, new MessageMetadata(ID, ID));
                    if (confirm.isCompletedExceptionally()) {
                        return confirm;
                    }
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> !stuck.isDone() && publishStarted.get() != 0
                    && System.nanoTime() - publishStarted.get() > Duration.ofSeconds(1).toNanos());

            CompletableFuture<Void> closed = CompletableFuture.runAsync(publisher::close);

            try {
                assertThat(closed).succeedsWithin(Duration.ofSeconds(5));
                assertThat(stuck).succeedsWithin(Duration.ofSeconds(5)).satisfies(failed ->
                        assertThatThrownBy(failed::join).cause().isInstanceOfSatisfying(PublishFailedException.class,
                                publishFailed -> assertThat(publishFailed.reason())
                                        .isEqualTo(PublishFailedException.Reason.BROKER_UNREACHABLE)));
                assertThatThrownBy(publisher.publish(BATCH, new MessageMetadata(ID, ID))::join)
                        .as("a closed publisher opens no new connection").cause()
                        .hasMessageContaining("the publisher is closed");
            } finally {
                relay.stop();
            }
        }
    }

    private static OneChannelPublisher publisher(TestVhost vhost) {
        return publisher(vhost, vhost.connectionFactory().getPort());
    }

    private static OneChannelPublisher publisher(TestVhost vhost, int port) {
        CachingConnectionFactory connections = vhost.connectionFactory();
        return new OneChannelPublisher(connections.getRabbitConnectionFactory(),
                List.of(new Address(connections.getHost(), port)), "one-channel-publisher-tests",
                Duration.ofSeconds(10), () -> { });
    }
}
