package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * Text from the broker reaches the log escaped: an agent's failure reason, a routing key, a
 * message id. A line break would let a publisher forge log lines; ANSI sequences would let it
 * rewrite an operator's terminal.
 */
class BrokerTextLogTests extends TrustBoundaryTestBase {

    private static final String FORGED = "\r\n00:00:00.000 ERROR [main] forged line\u001b[2J\u001b[31m\u202e";
    /** A routing-key word holds no dots, or the key would not match {@code gateway.*.heartbeat}. */
    private static final String FORGED_WORD = "\r\n00:00:00 ERROR [main] forged line\u001b[2J\u001b[31m\u202e";

    @Test
    void logsAnAgentsFailureReasonEscaped(CapturedOutput output) {
        String bob = TestRedis.uniqueName("bob");
        agentAs(bob).failWith("iptables-restore: line 3 failed" + FORGED);

        assertThat(api.post(bob, target("192.168.1.31", 22, "ssh", "Linux")).status()).isIn(202, 500);

        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("iptables-restore: line 3 failed"));
        assertThat(output.getOut()).contains("iptables-restore: line 3 failed\\u000d\\u000a00:00:00.000 ERROR [main] "
                + "forged line\\u001b[2J\\u001b[31m\\u202e");
        assertNothingRaw(output);
    }

    @Test
    void logsAHostileRoutingKeyAndMessageIdEscaped(CapturedOutput output) {
        String alice = TestRedis.uniqueName("alice");
        MessageProperties properties = new MessageProperties();
        Message message = new IpamMessageConverter().toMessage(new GatewayHeartbeat(GatewayId.of(alice),
                Ipv4Address.of("198.51.100.66"), List.of(), "iptables", 0, 0, "forged", Instant.now()), properties);
        String messageId = "id" + FORGED;
        properties.setMessageId(messageId);
        properties.setUserId("agent-" + alice);
        double refusedBefore = refusals(Topology.API_EVENTS_QUEUE, "routing-key");

        new RabbitTemplate(connectAs("agent-" + alice, ".*")).send(Topology.EVENTS_EXCHANGE,
                "gateway." + alice + FORGED_WORD + ".heartbeat", message);

        assertDeadLettered(messageId, "routing-key", "agent-" + alice);
        assertThat(refusals(Topology.API_EVENTS_QUEUE, "routing-key")).isEqualTo(refusedBefore + 1);
        assertThat(output.getOut()).contains("refused gateway.heartbeat message id\\u000d\\u000a00:00:00.000 ERROR");
        assertThat(output.getOut()).contains("routing-key: routing key gateway." + alice
                + "\\u000d\\u000a00:00:00 ERROR [main] forged line\\u001b[2J\\u001b[31m\\u202e.heartbeat is not");
        assertNothingRaw(output);
    }

    private static void assertNothingRaw(CapturedOutput output) {
        assertThat(output.getOut()).doesNotContain("\n00:00:00.000 ERROR [main] forged line",
                "\n00:00:00 ERROR [main] forged line", "\u001b", "\u202e", "\r");
    }
}
