package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * An event the API cannot read goes to its dead-letter queue at once, marked unreadable, and
 * the consumer carries on; nothing of the body reaches the log unescaped.
 */
@ExtendWith(OutputCaptureExtension.class)
class PoisonEventsTests extends LiveApiTestBase {

    private static final String BODY = "{not json\r\n00:00:00.000 ERROR forged\u001b[31m\u2028";

    @Test
    void deadLettersAnUnreadableEventWithoutRetryingItAndKeepsConsuming(CapturedOutput output) {
        String gateway = TestRedis.uniqueName("poison");
        RabbitTemplate rabbit = new RabbitTemplate(vhost.connectionFactory());
        MessageProperties properties = new MessageProperties();
        properties.setType("portmap.applied");
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        long started = System.nanoTime();

        rabbit.send(Topology.EVENTS_EXCHANGE, "gateway." + gateway + ".portmap.applied",
                new Message(BODY.getBytes(StandardCharsets.UTF_8), properties));

        Message dead = rabbit.receive(Topology.deadLetterQueue(Topology.API_EVENTS_QUEUE), 10_000);
        assertThat(dead).as("the unreadable event in the dead-letter queue").isNotNull();
        assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertThat((Object) dead.getMessageProperties().getHeader(RefusedMessages.REJECTION)).isEqualTo("unreadable");
        assertThat(output.getOut()).contains("refused portmap.applied message").contains("unreadable: ")
                .doesNotContain("\n00:00:00.000 ERROR forged", "\u001b", "\u2028");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not held for the retry back-off")
                .isLessThan(Duration.ofSeconds(5));
        agent(gateway);
        assertThat(api.post(gateway, org.vlab.ipam.api.testing.ApiClient.target("192.168.1.9", 22, "after", "Linux"))
                .status()).as("events still consumed: the agent's confirmation arrives").isEqualTo(200);
    }
}
