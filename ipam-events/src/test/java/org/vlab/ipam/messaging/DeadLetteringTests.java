package org.vlab.ipam.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.WithIpamServices;

/**
 * A consumer wired as the services wire theirs (Spring Boot's listener container with the
 * IPAM converter) survives poison messages, which end in its dead-letter queue: unreadable
 * ones at once, ones its handler keeps failing on after {@link Topology#DELIVERY_LIMIT} deliveries.
 */
@SpringBootTest(classes = DeadLetteringTests.Consumer.class, properties = {
    "spring.application.name=dead-letter-test",
    "spring.rabbitmq.publisher-confirm-type=correlated",
    "spring.rabbitmq.publisher-returns=true"})
@WithIpamServices
class DeadLetteringTests {

    static final String QUEUE = "test.heartbeats";
    static final String DEAD_LETTERS = Topology.deadLetterQueue(QUEUE);
    static final GatewayId POISON = GatewayId.of("poison");

    @Autowired
    Consumer consumer;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    MessagePublisher publisher;

    @Test
    void unreadableMessagesGoStraightToTheDeadLetterQueueAndTheConsumerCarriesOn() throws Exception {
        RabbitTemplate raw = new RabbitTemplate(connectionFactory);
        String valid = "{\"gateway\":\"alice\",\"lab_networks\":[],\"backend\":\"iptables\",\"rule_count\":0,"
                + "\"applied_generation\":0,\"agent_version\":\"1\",\"sent_at\":\"2026-11-24T10:00:00Z\"}";
        sendRaw(raw, "invalid-json", "gateway.heartbeat", "{\"gateway\": \"alice\",");
        sendRaw(raw, "java-class-type", "org.vlab.ipam.events.GatewayHeartbeat", valid);
        sendRaw(raw, "missing-field", "gateway.heartbeat", valid.replace("\"backend\":\"iptables\",", ""));
        sendRaw(raw, "no-type", null, valid);

        publisher.publish(heartbeat(GatewayId.of("alice"))).get();

        await().atMost(Duration.ofSeconds(15)).until(() -> consumer.received.size() == 1);
        assertThat(consumer.received.get(0).gateway()).isEqualTo(GatewayId.of("alice"));
        List<Message> dead = drain(raw, 4);
        assertThat(dead).extracting(m -> m.getMessageProperties().getMessageId())
                .containsExactlyInAnyOrder("invalid-json", "java-class-type", "missing-field", "no-type");
        assertThat(dead).allSatisfy(m -> assertThat(deathReason(m)).isEqualTo("rejected"));
        assertThat(consumer.attempts).doesNotContainKeys("invalid-json", "java-class-type", "missing-field", "no-type");
    }

    @Test
    void messageTheHandlerKeepsFailingOnIsDeadLetteredAfterTheDeliveryLimit() throws Exception {
        publisher.publish(heartbeat(POISON), new MessageMetadata("poison-1", null)).get();

        RabbitTemplate raw = new RabbitTemplate(connectionFactory);
        List<Message> dead = drain(raw, 1);
        assertThat(dead.get(0).getMessageProperties().getMessageId()).isEqualTo("poison-1");
        assertThat(deathReason(dead.get(0))).isEqualTo("delivery_limit");
        // Quorum queues count returns: the first delivery plus DELIVERY_LIMIT redeliveries.
        assertThat(consumer.attempts.get("poison-1").get()).isBetween(Topology.DELIVERY_LIMIT,
                Topology.DELIVERY_LIMIT + 1);
    }

    private static List<Message> drain(RabbitTemplate raw, int expected) {
        List<Message> messages = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Message message = raw.receive(DEAD_LETTERS);
            if (message != null) {
                messages.add(message);
            }
            return messages.size() >= expected;
        });
        assertThat(raw.receive(DEAD_LETTERS, 500)).as("no more dead letters than expected").isNull();
        return messages;
    }

    @SuppressWarnings("unchecked")
    private static String deathReason(Message message) {
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) message.getMessageProperties()
                .getHeaders().get("x-death");
        return deaths == null || deaths.isEmpty() ? null : String.valueOf(deaths.get(0).get("reason"));
    }

    private static void sendRaw(RabbitTemplate raw, String id, String type, String body) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(id);
        properties.setType(type);
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        raw.send(Topology.EVENTS_EXCHANGE, "gateway.alice.heartbeat",
                new Message(body.getBytes(StandardCharsets.UTF_8), properties));
    }

    private static GatewayHeartbeat heartbeat(GatewayId gateway) {
        return new GatewayHeartbeat(gateway, null, List.of(), "iptables", 0, 0, "test", Instant.now());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(IpamMessagingConfiguration.class)
    static class Consumer {

        final List<GatewayHeartbeat> received = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        @Bean
        Declarables heartbeatQueue() {
            return IpamTopology.queue(QUEUE, Topology.EVENTS_EXCHANGE, "gateway.*.heartbeat");
        }

        @RabbitListener(queues = QUEUE)
        void on(GatewayHeartbeat heartbeat, Message message) {
            attempts.computeIfAbsent(message.getMessageProperties().getMessageId(), id -> new AtomicInteger())
                    .incrementAndGet();
            if (heartbeat.gateway().equals(POISON)) {
                throw new IllegalStateException("this handler always fails on the poison gateway");
            }
            received.add(heartbeat);
        }
    }
}
