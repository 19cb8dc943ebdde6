package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.logs.ForwarderApp.GATEWAY;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestVhost;

/** The forwarder's jar killed with SIGKILL and started again, while its log is written and rotated. */
@IntegrationTest
class CrashRecoveryJarTests {

    static final int LINES = 100_000;
    static final int KILLS = 3;

    @Test
    void nothingIsLostWhenKilledThreeTimesAndAtMostTwiceTheBatchesInFlightRepeatPerRestart(TestVhost vhost, @TempDir Path directory) {
        Path log = directory.resolve("firewall.log");
        Map<String, String> environment = Map.of("IPAM_GATEWAY_ID", GATEWAY.value(), "IPAM_LOG_FILE", log.toString(),
                "IPAM_LOG_STATE_DIR", directory.resolve("state").toString(), "IPAM_BATCH_LINGER", "100ms",
                "IPAM_LOG_POLL_INTERVAL", "20ms", "IPAM_PUBLISH_RETRY_MAX", "1s",
                "IPAM_BATCHES_IN_FLIGHT", Integer.toString(ForwarderApp.BATCHES_IN_FLIGHT));
        List<String> arguments = vhost.springProperties().entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
        LogWriter writer = new LogWriter(log, LINES, 11, 6, 2_000);
        List<Integer> writtenAtKills = new ArrayList<>();
        try (ReceivedBatches received = new ReceivedBatches(vhost.connectionFactory(), GATEWAY)) {
            ServiceProcess service = start(arguments, environment);
            try {
                writer.start();
                for (int kill = 1; kill <= KILLS; kill++) {
                    // a few batches after each (re)start: the later kills hit while a backlog is being caught up
                    int threshold = received.records() + 3_000;
                    await().atMost(Duration.ofSeconds(60)).until(() -> received.records() >= threshold);
                    writtenAtKills.add(writer.written());
                    assertThat(service.kill()).as("exit code of SIGKILL").isEqualTo(137);
                    service = start(arguments, environment);
                }
                Arrival.await(() -> writer.done() && received.uniqueRecords().size() >= LINES, Duration.ofSeconds(90));
            } finally {
                service.close();
            }

            System.out.printf("[crash-recovery] kills when %s lines were written; %d deliveries, %d of them duplicates%n",
                    writtenAtKills, received.deliveries().size(), received.duplicates().size());
            received.assertEveryLineOnceInOrder(LINES, GATEWAY);
            assertThat(writtenAtKills).as("lines written when each kill came").allMatch(written -> written < LINES);
            assertThat(received.duplicates()).as("batches published again after a restart: at most those in flight "
                    + "and as many recorded behind them")
                    .hasSizeLessThanOrEqualTo(KILLS * 2 * ForwarderApp.BATCHES_IN_FLIGHT);
            assertThat(writer.rotationsDone()).isEqualTo(11);
        }
    }

    private static ServiceProcess start(List<String> arguments, Map<String, String> environment) {
        return ServiceProcess.start(ServiceProcess.serviceJar(), arguments, environment).awaitHealthy(Duration.ofSeconds(60));
    }
}
