package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.TestRedis;

/** An event the API cannot read goes to its dead-letter queue at once, and the consumer carries on. */
class PoisonEventsTests extends LiveApiTestBase {

    @Test
    void deadLettersAnUnreadableEventWithoutRetryingItAndKeepsConsuming() {
        String gateway = TestRedis.uniqueName("poison");
        RabbitTemplate rabbit = new RabbitTemplate(vhost.connectionFactory());
        MessageProperties properties = new MessageProperties();
        properties.setType("portmap.applied");
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        long started = System.nanoTime();

        rabbit.send(Topology.EVENTS_EXCHANGE, "gateway." + gateway + ".portmap.applied",
                new Message("{not json".getBytes(StandardCharsets.UTF_8), properties));

        Message dead = rabbit.receive(Topology.deadLetterQueue(Topology.API_EVENTS_QUEUE), 10_000);
        assertThat(dead).as("the unreadable event in the dead-letter queue").isNotNull();
        assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not held for the retry back-off")
                .isLessThan(Duration.ofSeconds(5));
        agent(gateway);
        assertThat(api.post(gateway, org.vlab.ipam.api.testing.ApiClient.target("192.168.1.9", 22, "after", "Linux"))
                .status()).as("events still consumed: the agent's confirmation arrives").isEqualTo(200);
    }
}
