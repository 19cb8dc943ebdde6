package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vlab.ipam.api.testing.ApiClient.target;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.testsupport.RabbitManagement;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * With {@code ipam.snapshot-requesters} set, a gateway's RabbitMQ user reads its own gateway's
 * snapshot only: the API checks the request's {@code user_id}, and RabbitMQ refuses a
 * {@code user_id} that is not the connection's user. Without the setting every request is
 * answered (PortMapApiTests).
 */
@TestPropertySource(properties = "ipam.snapshot-requesters=agent-{gateway}")
class SnapshotAccessTests extends LiveApiTestBase {

    private static final Duration NO_ANSWER = Duration.ofSeconds(3);

    private final IpamMessageConverter converter = new IpamMessageConverter();
    private final List<String> users = new ArrayList<>();
    private final List<CachingConnectionFactory> connections = new ArrayList<>();

    @AfterEach
    void deleteUsers() {
        connections.forEach(CachingConnectionFactory::destroy);
        users.forEach(vhost.endpoint().management()::deleteUser);
    }

    @Test
    void answersAGatewaysOwnAgentUserWithTheGatewaysSnapshot() {
        String alice = TestRedis.uniqueName("alice");
        agent(alice);
        int connPort = api.post(alice, target("192.168.1.40", 22, "snap", "Linux")).content().get("conn_port").asInt();

        Object answer = request(connectAs("agent-" + alice), alice, "agent-" + alice, UUID.randomUUID().toString(),
                Duration.ofSeconds(10));

        assertThat(answer).isInstanceOfSatisfying(SnapshotTaken.class, snapshot -> {
            assertThat(snapshot.gateway().value()).isEqualTo(alice);
            assertThat(snapshot.mappings()).singleElement()
                    .satisfies(mapping -> assertThat(mapping.connPort().value()).isEqualTo(connPort));
        });
    }

    @Test
    void dropsToTheDeadLetterQueueAnotherGatewaysRequestWithoutAnswering() {
        String alice = TestRedis.uniqueName("alice");
        String bob = TestRedis.uniqueName("bob");
        String messageId = UUID.randomUUID().toString();

        Object answer = request(connectAs("agent-" + alice), bob, "agent-" + alice, messageId, NO_ANSWER);

        assertThat(answer).as("answer to agent-%s asking for %s", alice, bob).isNull();
        assertThat(deadLetter(messageId).getMessageProperties().getReceivedUserId()).isEqualTo("agent-" + alice);
    }

    @Test
    void dropsARequestWithoutUserId() {
        String alice = TestRedis.uniqueName("alice");
        String messageId = UUID.randomUUID().toString();

        Object answer = request(connectAs("agent-" + alice), alice, null, messageId, NO_ANSWER);

        assertThat(answer).as("answer to a request without user_id").isNull();
        assertThat(deadLetter(messageId).getMessageProperties().getReceivedUserId()).isNull();
    }

    @Test
    void brokerRefusesAUserIdThatIsNotTheConnectionsUser() throws Exception {
        String alice = TestRedis.uniqueName("alice");
        String bob = TestRedis.uniqueName("bob");
        CachingConnectionFactory aliceUser = connectAs("agent-" + alice);
        AMQP.BasicProperties forged = new AMQP.BasicProperties.Builder().userId("agent-" + bob)
                .contentType("application/json").build();
        byte[] body = converter.toMessage(new SnapshotRequested(GatewayId.of(bob), "forger", Instant.now()),
                new org.springframework.amqp.core.MessageProperties()).getBody();

        try (Connection connection = aliceUser.getRabbitConnectionFactory().newConnection()) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            channel.basicPublish(Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY, forged, body);

            assertThatThrownBy(() -> channel.waitForConfirmsOrDie(10_000)).as("confirm of the forged request")
                    .isNotNull();
            assertThat(channel.isOpen()).isFalse();
            assertThat(channel.getCloseReason().getMessage()).contains("PRECONDITION_FAILED")
                    .contains("agent-" + bob);
        }
    }

    /** A new RabbitMQ user allowed everything on the test vhost (the check under test is the API's, not permissions). */
    private CachingConnectionFactory connectAs(String user) {
        RabbitManagement management = vhost.endpoint().management();
        String password = UUID.randomUUID().toString();
        management.createUser(user, password);
        users.add(user);
        management.setPermissions(vhost.name(), user, ".*", ".*", ".*");
        CachingConnectionFactory factory = vhost.newConnectionFactory(user, password);
        connections.add(factory);
        return factory;
    }

    /** Asks for {@code gateway}'s snapshot as the agents do, with {@code userId} (null: none); null when unanswered. */
    private Object request(CachingConnectionFactory factory, String gateway, String userId, String messageId,
            Duration wait) {
        RabbitTemplate template = new RabbitTemplate(factory);
        template.setMessageConverter(converter);
        template.setReplyTimeout(wait.toMillis());
        template.setUseDirectReplyToContainer(false);
        try {
            return template.convertSendAndReceive(Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY,
                    new SnapshotRequested(GatewayId.of(gateway), "test-requester", Instant.now()), message -> {
                        message.getMessageProperties().setMessageId(messageId);
                        message.getMessageProperties().setUserId(userId);
                        return message;
                    });
        } finally {
            template.destroy();
        }
    }

    /** The request with {@code messageId} from the snapshot queue's dead-letter queue (others are dropped). */
    private Message deadLetter(String messageId) {
        RabbitTemplate template = new RabbitTemplate(vhost.connectionFactory());
        String queue = Topology.deadLetterQueue(Topology.API_SNAPSHOT_QUEUE);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Message message = template.receive(queue, 1000);
            if (message != null && messageId.equals(message.getMessageProperties().getMessageId())) {
                return message;
            }
        }
        throw new AssertionError("request " + messageId + " not in " + queue + " within 10 s");
    }
}
