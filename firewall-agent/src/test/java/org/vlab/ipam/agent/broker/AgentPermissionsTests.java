package org.vlab.ipam.agent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.agent.testing.AgentPermissions;
import org.vlab.ipam.agent.testing.AgentUser;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamTopology;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The documented permissions confine a gateway's agent to its gateway: it works with its own
 * queue and routing keys, and is refused everything of another gateway and the shared exchanges.
 */
@IntegrationTest
class AgentPermissionsTests {

    private final GatewayId alice = GatewayId.of(TestRedis.uniqueName("alice"));
    private final GatewayId bob = GatewayId.of(TestRedis.uniqueName("bob"));
    private AgentUser user;
    private Connection connection;

    @BeforeEach
    void provision(TestVhost vhost) {
        RabbitAdmin admin = new RabbitAdmin(vhost.connectionFactory());
        IpamTopology.declare(admin, IpamTopology.exchanges());
        IpamTopology.declare(admin, IpamTopology.queue(Topology.API_SNAPSHOT_QUEUE, Topology.COMMANDS_EXCHANGE,
                Topology.SNAPSHOT_ROUTING_KEY));
        IpamTopology.declare(admin, IpamTopology.queue("test.events", Topology.EVENTS_EXCHANGE, "#"));
        IpamTopology.declare(admin, agentQueue(bob));
        new RabbitTemplate(vhost.connectionFactory()).send(Topology.COMMANDS_EXCHANGE,
                Topology.gatewayRoutingKey(bob, "portmap"), new Message("bob's command".getBytes()));
    }

    @AfterEach
    void closeAll() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (user != null) {
            user.close();
        }
    }

    @Test
    void withOwnQueuesTheAgentDeclaresItsQueuesButNotTheSharedExchanges(TestVhost vhost) throws Exception {
        connect(vhost, AgentPermissions.ownQueues(alice));

        for (Declarable declarable : agentQueue(alice).getDeclarables()) {
            assertThat(refusal(channel -> declare(channel, declarable))).as("declaring %s", declarable).isNull();
        }
        assertThat(refusal(channel -> channel.basicConsume(Topology.agentQueue(alice), false, new DefaultConsumer(channel))))
                .isNull();
        assertThat(refusal(channel -> channel.exchangeDeclare(Topology.COMMANDS_EXCHANGE, "topic", true)))
                .contains("ACCESS_REFUSED");
    }

    @Test
    void theAgentUserCannotConsumeAnotherGatewaysQueue(TestVhost vhost) throws Exception {
        for (AgentPermissions permissions : List.of(AgentPermissions.ownQueues(alice),
                AgentPermissions.provisionedQueues(alice))) {
            connect(vhost, permissions);

            assertThat(refusal(channel -> channel.basicConsume(Topology.agentQueue(bob), true, new DefaultConsumer(channel))))
                    .contains("ACCESS_REFUSED", "ipam.agent." + bob);
            assertThat(refusal(channel -> channel.basicGet(Topology.agentQueue(bob), true))).contains("ACCESS_REFUSED");
            assertThat(refusal(channel -> channel.queueBind(Topology.agentQueue(alice), Topology.COMMANDS_EXCHANGE,
                    Topology.gatewayRoutingKey(bob, "portmap")))).contains("ACCESS_REFUSED");
            assertThat(refusal(channel -> channel.queueBind(Topology.agentQueue(alice), Topology.COMMANDS_EXCHANGE, "#")))
                    .contains("ACCESS_REFUSED");
            connection.close();
            connection = null;
            user.close();
            user = null;
        }
    }

    @Test
    void theAgentUserPublishesOnlyItsOwnGatewaysEventsAndSnapshotRequests(TestVhost vhost) throws Exception {
        connect(vhost, AgentPermissions.provisionedQueues(alice));

        assertThat(refusal(channel -> publish(channel, Topology.EVENTS_EXCHANGE,
                Topology.gatewayRoutingKey(alice, "portmap.applied")))).isNull();
        assertThat(refusal(channel -> publish(channel, Topology.EVENTS_EXCHANGE,
                Topology.gatewayRoutingKey(alice, "heartbeat")))).isNull();
        assertThat(refusal(channel -> publish(channel, Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY)))
                .isNull();
        assertThat(refusal(channel -> publish(channel, Topology.EVENTS_EXCHANGE,
                Topology.gatewayRoutingKey(bob, "portmap.applied")))).contains("ACCESS_REFUSED");
        assertThat(refusal(channel -> publish(channel, Topology.COMMANDS_EXCHANGE,
                Topology.gatewayRoutingKey(bob, "portmap")))).contains("ACCESS_REFUSED");
        assertThat(refusal(channel -> publish(channel, "", Topology.agentQueue(bob)))).contains("ACCESS_REFUSED");
        assertThat(refusal(channel -> publish(channel, Topology.DEAD_LETTER_EXCHANGE, Topology.agentQueue(bob))))
                .contains("ACCESS_REFUSED");
    }

    @Test
    void theAgentUserCanAskForASnapshotByDirectReplyTo(TestVhost vhost) throws Exception {
        connect(vhost, AgentPermissions.provisionedQueues(alice));

        assertThatCode(() -> {
            Channel channel = connection.createChannel();
            channel.basicConsume("amq.rabbitmq.reply-to", true, new DefaultConsumer(channel));
            channel.confirmSelect();
            channel.basicPublish(Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY, true,
                    new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build(), new byte[0]);
            channel.waitForConfirmsOrDie(5000);
            channel.close();
        }).doesNotThrowAnyException();
    }

    private void connect(TestVhost vhost, AgentPermissions permissions) throws Exception {
        user = AgentUser.create(vhost, alice, permissions);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(vhost.endpoint().host());
        factory.setPort(vhost.endpoint().amqpPort());
        factory.setVirtualHost(vhost.name());
        factory.setUsername(user.name());
        factory.setPassword(user.password());
        connection = factory.newConnection();
    }

    private static org.springframework.amqp.core.Declarables agentQueue(GatewayId gateway) {
        return IpamTopology.queue(Topology.agentQueue(gateway), Topology.COMMANDS_EXCHANGE,
                Topology.gatewayRoutingKey(gateway, "portmap"));
    }

    private static void publish(Channel channel, String exchange, String routingKey) throws Exception {
        channel.confirmSelect();
        channel.basicPublish(exchange, routingKey, new AMQP.BasicProperties(), new byte[0]);
        channel.waitForConfirmsOrDie(5000);
    }

    private static void declare(Channel channel, Declarable declarable) throws Exception {
        if (declarable instanceof Queue queue) {
            channel.queueDeclare(queue.getName(), queue.isDurable(), queue.isExclusive(), queue.isAutoDelete(),
                    queue.getArguments());
        } else if (declarable instanceof Binding binding) {
            channel.queueBind(binding.getDestination(), binding.getExchange(), binding.getRoutingKey(),
                    binding.getArguments());
        }
    }

    private interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    /** What the broker said when it refused the action on a fresh channel, or null when it allowed it. */
    private String refusal(ChannelAction action) throws Exception {
        Channel channel = connection.createChannel();
        try {
            action.run(channel);
            return null;
        } catch (java.io.IOException | com.rabbitmq.client.ShutdownSignalException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return String.valueOf(cause.getMessage());
        } finally {
            if (channel.isOpen()) {
                channel.close();
            }
        }
    }
}
