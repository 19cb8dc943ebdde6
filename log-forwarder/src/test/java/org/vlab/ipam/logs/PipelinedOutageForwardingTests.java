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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The real broker's connection cut while the window is full: the forwarder reaches the broker
 * through a relay that holds what it sends, so every batch of the window is unconfirmed when
 * the relay cuts the connection. The batches are published again from the first unconfirmed
 * one, in order, so nothing is lost or reordered.
 */
@IntegrationTest
class PipelinedOutageForwardingTests {

    static final int LINES = 60_000;

    @Test
    void connectionCutsWithAFullWindowInFlightLoseAndReorderNothing(TestVhost vhost, @TempDir Path directory)
            throws IOException {
        Path log = writeLog(directory.resolve("firewall.log"));
        try (BrokerRelay relay = new BrokerRelay(vhost.springProperties().get("spring.rabbitmq.host"),
                Integer.parseInt(vhost.springProperties().get("spring.rabbitmq.port"))).start()) {
            Map<String, String> settings = ForwarderApp.settings(vhost, log, directory.resolve("state"));
            settings.put("spring.rabbitmq.port", Integer.toString(relay.port()));
            // small batches: a full window (about 60 KB) fits the sockets' buffers while the relay holds it
            settings.put("ipam.batch-size", "20");
            List<Double> inFlightAtCuts = new ArrayList<>();
            try (ReceivedBatches received = new ReceivedBatches(vhost.connectionFactory(), GATEWAY);
                    ForwarderApp forwarder = ForwarderApp.start(settings)) {
                for (int threshold : new int[] {10_000, 25_000, 40_000}) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> received.records() >= threshold);
                    double failures = forwarder.counter("ipam.logs.publish.failures");
                    relay.holdUpstream();
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            forwarder.gauge("ipam.logs.batches.in_flight") == ForwarderApp.BATCHES_IN_FLIGHT);
                    inFlightAtCuts.add(forwarder.gauge("ipam.logs.batches.in_flight"));
                    relay.stop();
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> forwarder.counter("ipam.logs.publish.failures") > failures);
                    relay.start();
                }

                Arrival.await(() -> received.uniqueRecordCount() >= LINES, Duration.ofSeconds(90));

                System.out.printf("[pipelined-outage] batches in flight at the cuts %s; %.0f failed publish rounds; "
                        + "%d deliveries, %d of them duplicates%n", inFlightAtCuts,
                        forwarder.counter("ipam.logs.publish.failures"), received.deliveries().size(),
                        received.duplicates().size());
                received.assertEveryLineOnceInOrder(LINES, GATEWAY);
                assertThat(inFlightAtCuts).as("a full window was in flight at every cut")
                        .containsOnly((double) ForwarderApp.BATCHES_IN_FLIGHT);
                assertThat(received.duplicates()).as("only batches in flight at a cut repeat")
                        .hasSizeLessThanOrEqualTo(3 * ForwarderApp.BATCHES_IN_FLIGHT);
            }
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
