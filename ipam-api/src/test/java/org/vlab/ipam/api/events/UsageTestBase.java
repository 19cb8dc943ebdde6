package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LogPrefix;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.events.LogSource;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;
import tools.jackson.databind.JsonNode;

/**
 * Publishes log batches as a gateway's log forwarder does (exchange {@code vlab.firewall.logs},
 * key {@code gateway.<id>.forward}, type {@code firewall.log-batch}, message id = the batch's
 * source, {@code user_id} its RabbitMQ user), to the API as production runs it:
 * {@code ipam.usage.publishers=logs-{gateway}}, answering once the agent applied a change.
 */
@TestPropertySource(properties = {"ipam.usage.publishers=logs-{gateway}", "ipam.apply-wait=5s"})
abstract class UsageTestBase extends TrustBoundaryTestBase {

    static final String USAGE_DEAD_LETTERS = Topology.deadLetterQueue(Topology.API_USAGE_QUEUE);

    private final IpamMessageConverter converter = new IpamMessageConverter();

    /** A mapping created through the API and applied by the gateway's agent; its connection port. */
    int mapping(String gateway, String addr, String name) {
        agentAs(gateway);
        var created = api.post(gateway, target(addr, 22, name, "Linux"));
        assertThat(created.status()).as("create: %s", created.body()).isEqualTo(200);
        return created.content().get("conn_port").asInt();
    }

    /** A record of the agent's per-mapping log rule: one new connection from {@code source} at {@code time}. */
    static FirewallLogRecord connection(String gateway, int connPort, String source, Instant time) {
        return new FirewallLogRecord(time, GatewayId.of(gateway), LogPrefix.forMapping(ConnPort.of(connPort)), "g0", "g1",
                Ipv4Address.parse(source), Ipv4Address.parse("192.168.1.2"), "TCP", 42372, 22, ConnPort.of(connPort));
    }

    static FirewallLogBatch batch(String gateway, long start, FirewallLogRecord... records) {
        return new FirewallLogBatch(GatewayId.of(gateway), new LogSource("2049:1234:abcd", start, start + 100),
                List.of(records));
    }

    /** Publishes the batch as {@code gateway}'s log forwarder, on its own key; returns the message id. */
    String forward(String gateway, FirewallLogBatch batch) {
        MessageProperties properties = new MessageProperties();
        Message message = converter.toMessage(batch, properties);
        return send(logsUser(gateway), "logs-" + gateway, "gateway." + gateway + ".forward", message.getBody(),
                MessageType.FIREWALL_LOG_BATCH.wireName());
    }

    /** Publishes any body with any key, user id and type on the log exchange; returns the message id. */
    String send(CachingConnectionFactory as, String userId, String routingKey, byte[] body, String type) {
        MessageProperties properties = new MessageProperties();
        String messageId = UUID.randomUUID().toString();
        properties.setMessageId(messageId);
        properties.setUserId(userId);
        properties.setType(type);
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        new RabbitTemplate(as).send(Topology.LOGS_EXCHANGE, routingKey, new Message(body, properties));
        return messageId;
    }

    static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    CachingConnectionFactory logsUser(String gateway) {
        return connectAs("logs-" + gateway, ".*");
    }

    /** The port object {@code GET /portmap} shows the gateway's owner. */
    JsonNode port(String gateway, int connPort) {
        return api.get(gateway, "/api/1/ipam/portmap?conn_port=" + connPort).content().get("ports")
                .get(Integer.toString(connPort));
    }

    /** {@code connections_24h} of the port, or -1 while the port shows no usage. */
    int connections(String gateway, int connPort) {
        JsonNode count = port(gateway, connPort).get("connections_24h");
        return count == null ? -1 : count.asInt();
    }

    double records(String outcome) {
        return meters.get("ipam.usage.records").tags("outcome", outcome).counter().count();
    }

    String usageKey(String gateway) {
        return redis.keyPrefix() + "{" + gateway + "}:usage";
    }
}
