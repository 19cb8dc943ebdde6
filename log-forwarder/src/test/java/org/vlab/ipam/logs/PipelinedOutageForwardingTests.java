package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.logs.ForwarderApp.GATEWAY;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.RabbitManagement;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The real broker's connection cut while a backlog is forwarded with several batches in
 * flight: the unconfirmed ones are published again from the first of them, so nothing is lost
 * or reordered, and only batches that were in flight repeat.
 */
@IntegrationTest
class PipelinedOutageForwardingTests {

    static final int LINES = 60_000;

    @Test
    void connectionCutsWithSeveralBatchesInFlightLoseAndReorderNothing(TestVhost vhost, @TempDir Path directory)
            throws IOException {
        RabbitManagement management = vhost.endpoint().management();
        String user = "forwarder-" + UUID.randomUUID();
        management.createUser(user, "secret");
        management.setPermissions(vhost.name(), user, ".*", ".*", ".*");
        Path log = writeLog(directory.resolve("firewall.log"));
        Map<String, String> settings = ForwarderApp.settings(vhost, log, directory.resolve("state"));
        settings.put("spring.rabbitmq.username", user);
        settings.put("spring.rabbitmq.password", "secret");
        List<Double> inFlightAtCuts = new ArrayList<>();
        try (ReceivedBatches received = new ReceivedBatches(vhost.connectionFactory(), GATEWAY);
                ForwarderApp forwarder = ForwarderApp.start(settings)) {
            for (int threshold : new int[] {10_000, 25_000, 40_000}) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                        .until(() -> received.records() >= threshold && forwarder.gauge("ipam.logs.batches.in_flight") >= 2);
                inFlightAtCuts.add(forwarder.gauge("ipam.logs.batches.in_flight"));
                await().atMost(Duration.ofSeconds(20)).until(() -> management.closeConnections(user) > 0);
            }

            Arrival.await(() -> received.uniqueRecordCount() >= LINES, Duration.ofSeconds(90));

            System.out.printf("[pipelined-outage] batches in flight at the cuts %s; %.0f failed publish rounds; "
                    + "%d deliveries, %d of them duplicates%n", inFlightAtCuts,
                    forwarder.counter("ipam.logs.publish.failures"), received.deliveries().size(),
                    received.duplicates().size());
            received.assertEveryLineOnceInOrder(LINES, GATEWAY);
            assertThat(forwarder.counter("ipam.logs.publish.failures"))
                    .as("a cut failed the confirms of batches in flight").isPositive();
            assertThat(received.duplicates()).as("only batches in flight at a cut repeat")
                    .hasSizeLessThanOrEqualTo(3 * ForwarderApp.BATCHES_IN_FLIGHT);
        } finally {
            management.deleteUser(user);
        }
    }

    private static Path writeLog(Path log) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int n = 0; n < LINES; n++) {
                writer.write(SampleLines.line(n));
                writer.write('\n');
            }
        }
        return log;
    }
}
