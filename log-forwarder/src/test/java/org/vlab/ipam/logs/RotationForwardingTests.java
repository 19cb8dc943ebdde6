package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.logs.ForwarderApp.GATEWAY;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestVhost;

/** The forwarder against the real broker while its log is written and rotated. */
@IntegrationTest
class RotationForwardingTests {

    static final int LINES = 100_000;

    @Test
    void everyLineArrivesOnceAndInOrderThroughTenRenameRotationsAndACopyTruncate(TestVhost vhost,
            @TempDir Path directory) {
        Path log = directory.resolve("firewall.log");
        LogWriter writer = new LogWriter(log, LINES, 11, 6, 10_000);
        try (ReceivedBatches received = new ReceivedBatches(vhost.connectionFactory(), GATEWAY);
                ForwarderApp forwarder = ForwarderApp.start(ForwarderApp.settings(vhost, log, directory.resolve("state")))) {
            // the forwarder starts before the log exists, and waits for it
            writer.start();

            Arrival.await(() -> writer.done() && received.uniqueRecordCount() >= LINES, Duration.ofSeconds(90));

            assertThat(writer.rotationsDone()).isEqualTo(11);
            received.assertEveryLineOnceInOrder(LINES, GATEWAY);
            assertThat(received.duplicates()).isEmpty();
            assertThat(forwarder.counter("ipam.logs.records.published")).isEqualTo(LINES);
            assertThat(forwarder.counter("ipam.logs.lines.skipped", "reason", "not-netfilter"))
                    .as("the systemd lines among them").isEqualTo(LINES / 997);
            assertThat(forwarder.counter("ipam.logs.lines.read")).isEqualTo(LINES + LINES / 997);
        }
    }
}
