package org.vlab.ipam.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MessageSamples;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * Every sample message travels through the real broker as the services send it: to its
 * exchange and routing key (or, for a snapshot reply, to the requester's reply-to queue),
 * persistent, with its wire type and metadata, and arrives equal to what was sent.
 */
@IntegrationTest
class BrokerRoundTripTests {

    private static final String APP_ID = "round-trip-test";
    private static final long RECEIVE_TIMEOUT_MILLIS = 5000;

    private static RabbitAdmin admin;
    private static ConfirmingPublisher publisher;
    private static RabbitTemplate reader;

    @BeforeAll
    static void connect(TestVhost vhost) {
        admin = new RabbitAdmin(vhost.connectionFactory());
        IpamTopology.declare(admin, IpamTopology.exchanges());
        publisher = new ConfirmingPublisher(vhost.connectionFactory(), APP_ID, Duration.ofSeconds(10));
        reader = new RabbitTemplate(vhost.connectionFactory());
        reader.setMessageConverter(new IpamMessageConverter());
    }

    static Stream<IpamMessage> samples() {
        return MessageSamples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyMessageArrivesIntactWithItsTypeAndMetadata(IpamMessage sample) throws Exception {
        MessageType type = MessageType.of(sample);
        String correlationId = "req-" + UUID.randomUUID();
        String queue;
        if (type.isReply()) {
            // Not auto-delete: receiving with a timeout consumes, and the consumer's cancel would delete it.
            queue = admin.declareQueue(new Queue("test.reply." + UUID.randomUUID(), false, true, false));
            publisher.reply((SnapshotTaken) sample, queue, correlationId).get(10, TimeUnit.SECONDS);
        } else {
            queue = "test.round-trip." + UUID.randomUUID();
            IpamTopology.declare(admin, IpamTopology.queue(queue, type.exchange(), type.routingKey(sample)));
            publisher.publish(sample, MessageMetadata.correlatedWith(correlationId)).get(10, TimeUnit.SECONDS);
        }

        Message received = reader.receive(queue, RECEIVE_TIMEOUT_MILLIS);

        assertThat(received).as("a message in %s", queue).isNotNull();
        MessageProperties properties = received.getMessageProperties();
        assertThat(reader.getMessageConverter().fromMessage(received)).isEqualTo(sample);
        assertThat(properties.getType()).isEqualTo(type.wireName());
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(properties.getCorrelationId()).isEqualTo(correlationId);
        assertThat(properties.getAppId()).isEqualTo(APP_ID);
        assertThat(properties.getMessageId()).isNotBlank();
        assertThat(properties.getTimestamp()).isNotNull();
        assertThat(properties.getReceivedExchange()).isEqualTo(type.exchange());
        assertThat(properties.getReceivedRoutingKey()).isEqualTo(type.isReply() ? queue : type.routingKey(sample));
        assertThat(reader.receive(queue)).as("exactly one message in %s", queue).isNull();
        admin.deleteQueue(queue);
    }

    @Test
    void oneGatewaysCommandNeverReachesAnotherGatewaysQueue() throws Exception {
        GatewayId alice = GatewayId.of("alice");
        GatewayId other = GatewayId.of("alice-2");
        for (GatewayId gateway : new GatewayId[] {alice, other}) {
            IpamTopology.declare(admin, IpamTopology.queue(Topology.agentQueue(gateway), Topology.COMMANDS_EXCHANGE,
                    Topology.gatewayRoutingKey(gateway, "portmap")));
        }
        PortMapRequested forAlice = PortMapRequested.remove(alice, ConnPort.of(50013), 3, Instant.now());

        // The confirm comes after the broker routed the message to every matching queue.
        publisher.publish(forAlice).get(10, TimeUnit.SECONDS);

        Message received = reader.receive(Topology.agentQueue(alice), RECEIVE_TIMEOUT_MILLIS);
        assertThat(received).isNotNull();
        assertThat(reader.getMessageConverter().fromMessage(received)).isEqualTo(forAlice);
        assertThat(admin.getQueueInfo(Topology.agentQueue(other)).getMessageCount()).isZero();
        assertThat(reader.receive(Topology.agentQueue(other))).isNull();
    }
}
