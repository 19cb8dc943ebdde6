package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.logs.ForwarderApp.GATEWAY;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestVhost;

/** The central queue: declared by default; where the topology is provisioned instead, batches wait for a queue rather than vanish. */
@IntegrationTest
class CentralQueueTests {

    /** The test methods share a vhost: each starts without the central queue. */
    @BeforeEach
    void removeTheCentralQueue(TestVhost vhost) {
        new RabbitAdmin(vhost.connectionFactory()).deleteQueue(Topology.CENTRAL_LOG_QUEUE);
    }

    @Test
    void theCentralQueueIsDeclaredByDefaultAndReceivesTheBatches(TestVhost vhost, @TempDir Path directory)
            throws IOException {
        Path log = directory.resolve("firewall.log");
        writeLines(log, 10);
        try (ForwarderApp forwarder = ForwarderApp.start(ForwarderApp.settings(vhost, log, directory.resolve("state")))) {
            RabbitAdmin admin = new RabbitAdmin(vhost.connectionFactory());

            await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.counter("ipam.logs.records.published") == 10);
            assertThat(admin.getQueueInfo(Topology.CENTRAL_LOG_QUEUE).getMessageCount()).isEqualTo(1);
        }
    }

    @Test
    void eachBatchArrivesAsItsOwnJsonWithTheWireTypeAndThePublishersIdentity(TestVhost vhost,
            @TempDir Path directory) throws IOException {
        Path log = directory.resolve("firewall.log");
        writeLines(log, 10);
        try (ForwarderApp forwarder = ForwarderApp.start(ForwarderApp.settings(vhost, log, directory.resolve("state")))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.counter("ipam.logs.records.published") == 10);
        }
        Message message = new RabbitAdmin(vhost.connectionFactory()).getRabbitTemplate()
                .receive(Topology.CENTRAL_LOG_QUEUE, 5_000);

        assertThat(message).isNotNull();
        MessageProperties properties = message.getMessageProperties();
        assertThat(properties.getType()).isEqualTo("firewall.log-batch");
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getContentEncoding()).isEqualTo("UTF-8");
        assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(properties.getAppId()).isEqualTo("log-forwarder");
        assertThat(properties.getReceivedUserId()).isEqualTo(vhost.endpoint().username());
        FirewallLogBatch batch = (FirewallLogBatch) new IpamMessageConverter().fromMessage(message);
        assertThat(properties.getMessageId()).isEqualTo(batch.source().fileId() + "@" + batch.source().startOffset()
                + "-" + batch.source().endOffset());
        assertThat(batch.records()).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(n -> SampleLines.record(n, GATEWAY)).toList());
        assertThat(message.getBody()).isEqualTo(IpamJson.mapper().writeValueAsBytes(batch));
    }

    @Test
    void withTopologyProvisionedElsewhereBatchesWaitUntilAQueueIsBound(TestVhost vhost, @TempDir Path directory)
            throws IOException {
        Path log = directory.resolve("firewall.log");
        writeLines(log, 100);
        Map<String, String> settings = ForwarderApp.settings(vhost, log, directory.resolve("state"));
        settings.put("ipam.declare-topology", "none");
        try (ForwarderApp forwarder = ForwarderApp.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.counter("ipam.logs.publish.failures") >= 2);
            assertThat(new RabbitAdmin(vhost.connectionFactory()).getQueueInfo(Topology.CENTRAL_LOG_QUEUE)).isNull();

            try (ReceivedBatches received = new ReceivedBatches(vhost.connectionFactory(), GATEWAY)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> received.records() >= 100);
                received.assertEveryLineOnceInOrder(100, GATEWAY);
            }
        }
    }

    private static void writeLines(Path log, int count) throws IOException {
        Files.writeString(log, IntStream.range(0, count).mapToObj(SampleLines::line)
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
    }
}
