package org.vlab.ipam.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestVhost;

@IntegrationTest
class ConfirmingPublisherTests {

    private static final GatewayId ALICE = GatewayId.of("alice");
    private static final String QUEUE = "test.applied";

    private static ConfirmingPublisher publisher;
    private static RabbitTemplate reader;
    private static String vhostUser;

    @BeforeAll
    static void declare(TestVhost vhost) {
        RabbitAdmin admin = new RabbitAdmin(vhost.connectionFactory());
        IpamTopology.declare(admin, IpamTopology.exchanges());
        IpamTopology.declare(admin, IpamTopology.queue(QUEUE, Topology.EVENTS_EXCHANGE, "gateway.alice.portmap.applied"));
        publisher = new ConfirmingPublisher(vhost.connectionFactory(), "publisher-test", Duration.ofSeconds(5));
        reader = new RabbitTemplate(vhost.connectionFactory());
        vhostUser = vhost.connectionFactory().getUsername();
    }

    @Test
    void confirmedMessageIsPersistentAndCarriesItsMetadata() throws Exception {
        PortMapApplied applied = new PortMapApplied(ALICE, ConnPort.of(50001), 3, Instant.parse("2026-11-24T10:00:00Z"));

        publisher.publish(applied, new MessageMetadata("msg-1", "req-42")).get(10, TimeUnit.SECONDS);

        Message received = reader.receive(QUEUE, 5000);
        assertThat(received).isNotNull();
        assertThat(received.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(received.getMessageProperties().getMessageId()).isEqualTo("msg-1");
        assertThat(received.getMessageProperties().getCorrelationId()).isEqualTo("req-42");
        assertThat(received.getMessageProperties().getAppId()).isEqualTo("publisher-test");
        assertThat(received.getMessageProperties().getReceivedUserId()).as("user_id, verified by the broker")
                .isEqualTo(vhostUser);
        assertThat(received.getMessageProperties().getType()).isEqualTo("portmap.applied");
        assertThat(received.getMessageProperties().getReceivedRoutingKey()).isEqualTo("gateway.alice.portmap.applied");
        assertThat(new IpamMessageConverter().fromMessage(received)).isEqualTo(applied);
    }

    @Test
    void messageNoQueueTakesIsReportedUnroutableNotDropped() {
        PortMapApplied forBob = new PortMapApplied(GatewayId.of("bob"), ConnPort.of(50001), 1, Instant.now());

        assertThatThrownBy(() -> publisher.publish(forBob).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(PublishFailedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PublishFailedException.Reason.UNROUTABLE));
    }

    @Test
    void unreachableBrokerIsReportedAsSuch() {
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
        nowhere.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        nowhere.setPublisherReturns(true);
        try {
            ConfirmingPublisher toNowhere = new ConfirmingPublisher(nowhere, "test", Duration.ofSeconds(2));
            assertThatThrownBy(() -> toNowhere.publish(new PortMapApplied(ALICE, ConnPort.of(50001), 1, Instant.now()))
                    .get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(PublishFailedException.class,
                            e -> assertThat(e.reason()).isEqualTo(PublishFailedException.Reason.BROKER_UNREACHABLE));
        } finally {
            nowhere.destroy();
        }
    }

    @Test
    void refusesAConnectionFactoryWithoutConfirms() {
        CachingConnectionFactory plain = new CachingConnectionFactory("127.0.0.1", 1);
        try {
            assertThatThrownBy(() -> new ConfirmingPublisher(plain, "test", Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("spring.rabbitmq.publisher-confirm-type=correlated");
        } finally {
            plain.destroy();
        }
    }
}
