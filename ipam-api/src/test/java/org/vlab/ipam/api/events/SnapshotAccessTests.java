package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vlab.ipam.api.testing.ApiClient.target;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * With {@code ipam.snapshot-requesters} set, a gateway's RabbitMQ user reads its own gateway's
 * snapshot only: the API checks the request's {@code user_id}, and RabbitMQ refuses a
 * {@code user_id} that is not the connection's user. Without the setting every request is
 * answered (PortMapApiTests).
 */
class SnapshotAccessTests extends TrustBoundaryTestBase {

    private static final Duration NO_ANSWER = Duration.ofSeconds(3);
    private static final String DEAD_LETTERS = Topology.deadLetterQueue(Topology.API_SNAPSHOT_QUEUE);

    private final IpamMessageConverter converter = new IpamMessageConverter();

    @Test
    void answersAGatewaysOwnAgentUserWithTheGatewaysSnapshot() {
        String alice = TestRedis.uniqueName("alice");
        agentAs(alice);
        int connPort = api.post(alice, target("192.168.1.40", 22, "snap", "Linux")).content().get("conn_port").asInt();

        Object answer = request(serviceUser("agent", alice), alice, "agent-" + alice, UUID.randomUUID().toString(),
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

        Object answer = request(serviceUser("agent", alice), bob, "agent-" + alice, messageId, NO_ANSWER);

        assertThat(answer).as("answer to agent-%s asking for %s", alice, bob).isNull();
        Message dead = deadLetter(DEAD_LETTERS, messageId);
        assertThat((Object) dead.getMessageProperties().getHeader(RefusedMessages.USER_ID)).isEqualTo("agent-" + alice);
        assertThat((Object) dead.getMessageProperties().getHeader(RefusedMessages.REJECTION))
                .isEqualTo("user-id-not-allowed");
    }

    @Test
    void dropsARequestWithoutUserId() {
        String alice = TestRedis.uniqueName("alice");
        String messageId = UUID.randomUUID().toString();

        Object answer = request(serviceUser("agent", alice), alice, null, messageId, NO_ANSWER);

        assertThat(answer).as("answer to a request without user_id").isNull();
        Message dead = deadLetter(DEAD_LETTERS, messageId);
        assertThat((Object) dead.getMessageProperties().getHeader(RefusedMessages.USER_ID)).isNull();
        assertThat((Object) dead.getMessageProperties().getHeader(RefusedMessages.REJECTION)).isEqualTo("user-id-missing");
    }

    /**
     * A reply-to naming a queue (here bob's agent queue) would make the API publish alice's
     * mappings into it with the API's own permissions; only direct reply-to is answered.
     */
    @Test
    void answersOnlyToDirectReplyToAndDeadLettersAnyOtherReplyTo(CapturedOutput output) {
        String alice = TestRedis.uniqueName("alice");
        String bob = TestRedis.uniqueName("bob");
        IpamTopology.declare(new RabbitAdmin(vhost.connectionFactory()), IpamTopology.queue(
                Topology.agentQueue(GatewayId.of(bob)), Topology.COMMANDS_EXCHANGE, "gateway." + bob + ".portmap"));
        RabbitTemplate template = new RabbitTemplate(serviceUser("agent", alice));
        template.setMessageConverter(converter);
        String messageId = UUID.randomUUID().toString();
        double refusedBefore = refusals(Topology.API_SNAPSHOT_QUEUE, "reply-to");

        template.convertAndSend(Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY,
                new SnapshotRequested(GatewayId.of(alice), "evil\r\nWARN forged\u001b[31m", Instant.now()), message -> {
                    message.getMessageProperties().setMessageId(messageId);
                    message.getMessageProperties().setUserId("agent-" + alice);
                    message.getMessageProperties().setReplyTo(Topology.agentQueue(GatewayId.of(bob)));
                    return message;
                });

        Message dead = deadLetter(DEAD_LETTERS, messageId);
        assertThat((Object) dead.getMessageProperties().getHeader(RefusedMessages.REJECTION)).isEqualTo("reply-to");
        assertThat((Object) dead.getMessageProperties().getHeader(RefusedMessages.REPLY_TO))
                .isEqualTo(Topology.agentQueue(GatewayId.of(bob)));
        assertThat(new RabbitTemplate(vhost.connectionFactory()).receive(Topology.agentQueue(GatewayId.of(bob))))
                .as("what reached bob's agent queue").isNull();
        assertThat(refusals(Topology.API_SNAPSHOT_QUEUE, "reply-to")).isEqualTo(refusedBefore + 1);
        assertThat(output.getOut()).contains("requester evil\\u000d\\u000aWARN forged\\u001b[31m")
                .doesNotContain("\r\nWARN forged", "\u001b");
    }

    @Test
    void brokerRefusesAUserIdThatIsNotTheConnectionsUser() throws Exception {
        String alice = TestRedis.uniqueName("alice");
        String bob = TestRedis.uniqueName("bob");
        CachingConnectionFactory aliceUser = serviceUser("agent", alice);
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

}
