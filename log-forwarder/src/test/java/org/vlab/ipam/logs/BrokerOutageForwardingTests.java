package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.logs.ForwarderApp.GATEWAY;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.RabbitManagement;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The forwarder while its broker connection is cut (force-closed through the management API)
 * and while the broker refuses it for a while, the log being written and rotated meanwhile.
 */
@IntegrationTest
class BrokerOutageForwardingTests {

    static final int LINES = 100_000;

    @Test
    void everyLineArrivesInOrderThroughConnectionCutsAndARefusingBroker(TestVhost vhost, @TempDir Path directory) {
        RabbitManagement management = vhost.endpoint().management();
        String user = "forwarder-" + UUID.randomUUID();
        management.createUser(user, "secret");
        management.setPermissions(vhost.name(), user, ".*", ".*", ".*");
        Path log = directory.resolve("firewall.log");
        Map<String, String> settings = ForwarderApp.settings(vhost, log, directory.resolve("state"));
        settings.put("spring.rabbitmq.username", user);
        settings.put("spring.rabbitmq.password", "secret");
        LogWriter writer = new LogWriter(log, LINES, 11, 6, 5_000);
        int cuts = 0;
        try (ReceivedBatches received = new ReceivedBatches(vhost.connectionFactory(), GATEWAY);
                ForwarderApp forwarder = ForwarderApp.start(settings)) {
            writer.start();
            for (int threshold : new int[] {10_000, 25_000, 40_000}) {
                await().atMost(Duration.ofSeconds(30)).until(() -> received.records() >= threshold);
                cut(management, user);
                cuts++;
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> received.records() >= 55_000);
            double failuresBefore = forwarder.counter("ipam.logs.publish.failures");
            // no permission on anything: publishes are refused (and whatever connection is open is closed)
            int writtenAtOutage = writer.written();
            management.setPermissions(vhost.name(), user, "^$", "^$", "^$");
            management.closeConnections(user);
            cuts++;
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> forwarder.counter("ipam.logs.publish.failures") >= failuresBefore + 3);
            int receivedDuringOutage = received.records();
            double behindDuringOutage = forwarder.gauge("ipam.logs.behind.bytes");
            management.setPermissions(vhost.name(), user, ".*", ".*", ".*");

            // unique records: a batch repeated after a cut must not stand in for the last one still in flight
            Arrival.await(() -> writer.done() && received.uniqueRecordCount() >= LINES, Duration.ofSeconds(90));

            System.out.printf("[broker-outage] %d cuts; the refusal began when %d lines were written and %d records "
                    + "had arrived; %.0f failed publish attempts; %d deliveries, %d of them duplicates%n", cuts,
                    writtenAtOutage, receivedDuringOutage, forwarder.counter("ipam.logs.publish.failures"),
                    received.deliveries().size(), received.duplicates().size());
            assertThat(writtenAtOutage).as("the log was still being written when the outage began").isLessThan(LINES);
            assertThat(receivedDuringOutage).as("the outage began before everything had arrived").isLessThan(LINES);
            assertThat(behindDuringOutage).as("reading paused while the broker refused").isPositive();
            received.assertEveryLineOnceInOrder(LINES, GATEWAY);
            assertThat(received.duplicates()).as("at most the batches in flight at each cut are repeated")
                    .hasSizeLessThanOrEqualTo(cuts * ForwarderApp.BATCHES_IN_FLIGHT);
            assertThat(forwarder.counter("ipam.logs.publish.failures")).as("the cuts hit batches in flight").isPositive();
            assertThat(writer.rotationsDone()).isEqualTo(11);
        } finally {
            management.deleteUser(user);
        }
    }

    /** Closes the forwarder's connection, once it has one again after the last cut. */
    private static void cut(RabbitManagement management, String user) {
        await().atMost(Duration.ofSeconds(20)).until(() -> management.closeConnections(user) > 0);
    }
}
