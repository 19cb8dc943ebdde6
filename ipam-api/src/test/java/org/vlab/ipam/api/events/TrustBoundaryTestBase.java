package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.testsupport.RabbitManagement;

/**
 * The API as production runs it ({@code ipam.event-publishers} and {@code ipam.snapshot-requesters}
 * set to {@code agent-{gateway},health-{gateway}}), with real RabbitMQ users whose topic
 * permissions confine them to their gateway's keys, as
 * {@code deploy/rabbitmq/definitions.json} does; events go through the real listener. Commands
 * are never re-published during a test, so Redis changes only when an event is recorded.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"ipam.event-publishers=agent-{gateway},health-{gateway}",
        "ipam.snapshot-requesters=agent-{gateway},health-{gateway}", "ipam.apply-wait=0s", "ipam.republish-after=10m"})
abstract class TrustBoundaryTestBase extends LiveApiTestBase {

    static final String EVENTS_DEAD_LETTERS = Topology.deadLetterQueue(Topology.API_EVENTS_QUEUE);

    @Autowired
    MeterRegistry meters;

    private final IpamMessageConverter converter = new IpamMessageConverter();
    private final Map<String, CachingConnectionFactory> users = new LinkedHashMap<>();
    private final List<FakeAgent> ownAgents = new ArrayList<>();
    private final List<Message> deadLetters = new ArrayList<>();

    @AfterEach
    void deleteUsers() {
        ownAgents.forEach(FakeAgent::close);
        users.values().forEach(CachingConnectionFactory::destroy);
        users.keySet().forEach(vhost.endpoint().management()::deleteUser);
        users.clear();
    }

    /** {@code <service>-<gateway>}, allowed to publish on the events exchange only {@code gateway.<gateway>.*}. */
    CachingConnectionFactory serviceUser(String service, String gateway) {
        return connectAs(service + "-" + gateway, "^gateway\\." + gateway + "\\.");
    }

    /**
     * A connection as a new RabbitMQ user (the same one on later calls in a test), allowed
     * everything on the test's vhost but publishing on the events exchange only keys matching
     * {@code eventsTopicWrite} ({@code .*}: any key, so only the API's checks stand in the way).
     */
    CachingConnectionFactory connectAs(String user, String eventsTopicWrite) {
        CachingConnectionFactory known = users.get(user);
        if (known != null) {
            return known;
        }
        RabbitManagement management = vhost.endpoint().management();
        String password = UUID.randomUUID().toString();
        management.createUser(user, password);
        management.setPermissions(vhost.name(), user, ".*", ".*", ".*");
        management.setTopicPermissions(vhost.name(), user, Topology.EVENTS_EXCHANGE, eventsTopicWrite, ".*");
        CachingConnectionFactory factory = vhost.newConnectionFactory(user, password);
        users.put(user, factory);
        return factory;
    }

    /** The gateway's fake agent, connected as its own {@code agent-<gateway>} user. */
    FakeAgent agentAs(String gateway) {
        FakeAgent agent = FakeAgent.start(serviceUser("agent", gateway), gateway);
        ownAgents.add(agent);
        return agent;
    }

    /**
     * Publishes {@code event} on the events exchange as a gateway service would, but with any key,
     * type ({@code null}: the event's own) and user id ({@code null}: none); returns its message id.
     */
    String publish(CachingConnectionFactory as, String routingKey, IpamMessage event, String type, String userId) {
        MessageProperties properties = new MessageProperties();
        String messageId = UUID.randomUUID().toString();
        Message message = converter.toMessage(event, properties);
        properties.setMessageId(messageId);
        properties.setUserId(userId);
        if (type != null) {
            properties.setType(type);
        }
        new RabbitTemplate(as).send(Topology.EVENTS_EXCHANGE, routingKey, message);
        return messageId;
    }

    /** The message with {@code messageId} from {@code queue}, within 10 s; others read meanwhile are kept for later calls. */
    Message deadLetter(String queue, String messageId) {
        RabbitTemplate template = new RabbitTemplate(vhost.connectionFactory());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            for (Message read : deadLetters) {
                if (messageId.equals(read.getMessageProperties().getMessageId())) {
                    return read;
                }
            }
            Message message = template.receive(queue, 1000);
            if (message != null) {
                deadLetters.add(message);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("message " + messageId + " not in " + queue + " within 10 s");
    }

    /** Asserts the refused message reached the events' dead-letter queue with its reason on it. */
    Message assertDeadLettered(String messageId, String reason, String userId) {
        Message dead = deadLetter(EVENTS_DEAD_LETTERS, messageId);
        MessageProperties properties = dead.getMessageProperties();
        assertThat((Object) properties.getHeader(RefusedMessages.REJECTION)).as("x-ipam-rejection").isEqualTo(reason);
        assertThat((Object) properties.getHeader(RefusedMessages.USER_ID)).as("publisher's user_id").isEqualTo(userId);
        assertThat(properties.getReceivedUserId()).as("the copy is the API's").isEqualTo(
                vhost.connectionFactory().getUsername());
        return dead;
    }

    double refusals(String queue, String reason) {
        return meters.get(RefusedMessages.METRIC).tags("queue", queue, "reason", reason).counter().count();
    }

    /** The {@code gateway_ip} the API shows the gateway's owner; null when it has none. */
    String gatewayIp(String gateway) {
        var ip = api.get(gateway, "/api/1/ipam/portmap").content().get("gateway_ip");
        return ip == null || ip.isNull() ? null : ip.asString();
    }

    /** Every Redis key of the gateway with its serialized value, and whether it is registered. */
    Map<String, String> redisState(String gateway) {
        Map<String, String> state = new TreeMap<>();
        for (String key : keysOf(gateway)) {
            byte[] value = redis.commands().dump(key);
            state.put(key, value == null ? "gone" : Base64.getEncoder().encodeToString(value));
        }
        state.put("registered", String.valueOf(redis.commands().sismember(redis.keyPrefix() + "gateways", gateway)));
        return state;
    }
}
