package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.logs.ForwarderApp.GATEWAY;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The forwarder's jar through every fault at once, over {@value #DEFAULT_LINES} lines (the
 * system property {@code logs.faults.lines} changes the count): killed with SIGKILL five times,
 * its broker taken away twice (a relay it connects through is stopped and started again; the
 * shared broker is not touched), two rename rotations while it is down, a copy-truncate and a
 * rotation while the broker is away, everything compressed by logrotate's {@code compress}
 * with {@code delaycompress}, and the log cleared with {@code echo > kern.log} twice. Nothing
 * may be lost, and a record may arrive twice only in a batch with the same message id. (A log
 * cleared in place loses what was not read yet in any shipper, so each clear waits until
 * everything written before it has arrived.)
 */
@IntegrationTest
class FaultsJarTests {

    static final int DEFAULT_LINES = 1_000_000;
    static final int KILLS = 5;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> story = new ArrayList<>();

    @Test
    void nothingIsLostThroughKillsBrokerOutagesRotationsCompressionCopyTruncateAndClears(TestVhost vhost,
            @TempDir Path directory) {
        int lines = Integer.getInteger("logs.faults.lines", DEFAULT_LINES);
        int step = lines / 16;
        Path log = directory.resolve("kern.log");
        LogrotatedLog writer = new LogrotatedLog(log);
        long started = System.nanoTime();
        try (BrokerRelay relay = new BrokerRelay(vhost.springProperties().get("spring.rabbitmq.host"),
                Integer.parseInt(vhost.springProperties().get("spring.rabbitmq.port"))).start();
                ReceivedBatches received = new ReceivedBatches(vhost.connectionFactory(), GATEWAY)) {
            Forwarder forwarder = new Forwarder(vhost, relay, directory);
            IntSupplier arrived = received::uniqueRecordCount;
            try {
                forwarder.start();
                writer.write(2 * step);
                forwarder.killWhenBehind(arrived, writer, step, "kill 1 while catching up");

                writer.write(step);
                writer.rotate();
                writer.write(step);
                writer.rotate();
                writer.write(step);
                note("two rename rotations (compress, delaycompress) while down", writer);
                forwarder.start();

                writer.write(step);
                awaitArrived(arrived, writer.written() - step);
                relay.stop();
                note("broker outage 1: relay stopped", writer);
                writer.write(step);
                writer.copyTruncate();
                writer.write(step);
                awaitRetrying(forwarder);
                note("copytruncate while the broker was away; publishing failed "
                        + (int) forwarder.publishFailures() + " times", writer);
                relay.start();
                forwarder.killWhenBehind(arrived, writer, step / 2, "kill 2 after the outage");
                forwarder.start();

                awaitArrived(arrived, writer.written());
                writer.clearWithEcho();
                note("echo > kern.log 1", writer);
                writer.write(2 * step);
                forwarder.killWhenBehind(arrived, writer, step, "kill 3 after the first clear");
                forwarder.start();

                relay.stop();
                note("broker outage 2: relay stopped", writer);
                writer.write(step);
                writer.rotate();
                writer.write(step);
                awaitRetrying(forwarder);
                note("rename rotation while the broker was away; publishing failed "
                        + (int) forwarder.publishFailures() + " times", writer);
                relay.start();
                forwarder.killWhenBehind(arrived, writer, step / 2, "kill 4 after the outage");
                writer.write(step);
                forwarder.start();

                awaitArrived(arrived, writer.written());
                writer.clearWithEcho();
                note("echo > kern.log 2", writer);
                writer.write(2 * step);
                forwarder.killWhenBehind(arrived, writer, step, "kill 5 after the second clear");
                forwarder.start();
                writer.write(lines - writer.written());

                Arrival.await(() -> arrived.getAsInt() >= lines, Duration.ofSeconds(300));
            } finally {
                forwarder.close();
            }

            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("[faults] %d lines, %d kills, in %.1f s; %d deliveries, %d of them duplicates%n", lines,
                    forwarder.kills, seconds, received.deliveries().size(), received.duplicates().size());
            story.forEach(line -> System.out.println("[faults]   " + line));
            assertThat(forwarder.kills).isEqualTo(KILLS);
            received.assertEveryLineOnceInOrder(lines, GATEWAY);
            assertThat(received.duplicates()).as("each repeated delivery repeats its first under the same id; at most "
                    + "the batches in flight repeat per outage, and as many again recorded behind them per kill")
                    .hasSizeLessThanOrEqualTo((2 * KILLS + 2) * ForwarderApp.BATCHES_IN_FLIGHT);
        }
    }

    private void note(String what, LogrotatedLog writer) {
        story.add(what + " (" + writer.written() + " lines written)");
    }

    private static void awaitArrived(IntSupplier arrived, int count) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50)).until(() -> arrived.getAsInt() >= count);
    }

    /** Waits until the forwarder has failed to publish three more times: it is retrying against the missing broker. */
    private static void awaitRetrying(Forwarder forwarder) {
        double before = forwarder.publishFailures();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> forwarder.publishFailures() >= before + 3);
    }

    /** The jar, connected to the broker through the relay, started and killed by the test. */
    private final class Forwarder implements AutoCloseable {

        private final List<String> arguments;
        private final Map<String, String> environment;
        private ServiceProcess process;
        int kills;

        Forwarder(TestVhost vhost, BrokerRelay relay, Path directory) {
            Map<String, String> properties = new LinkedHashMap<>(vhost.springProperties());
            properties.put("spring.rabbitmq.host", "127.0.0.1");
            properties.put("spring.rabbitmq.port", Integer.toString(relay.port()));
            arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
            environment = Map.of("IPAM_GATEWAY_ID", GATEWAY.value(), "IPAM_LOG_FILE",
                    directory.resolve("kern.log").toString(), "IPAM_LOG_STATE_DIR", directory.resolve("state").toString(),
                    "IPAM_BATCH_LINGER", "100ms", "IPAM_LOG_POLL_INTERVAL", "20ms", "IPAM_PUBLISH_RETRY_MAX", "1s",
                    "IPAM_LOG_ROTATION_GRACE", "1s",
                    "IPAM_BATCHES_IN_FLIGHT", Integer.toString(ForwarderApp.BATCHES_IN_FLIGHT),
                    // the exchange is declared by ReceivedBatches; without the central queue no one
                    // has to drain a million records from it, and deleting the vhost stays quick
                    "IPAM_DECLARE_TOPOLOGY", "none");
        }

        void start() {
            process = ServiceProcess.start(ServiceProcess.serviceJar(), arguments, environment);
            process.awaitHealthy(Duration.ofSeconds(180));
        }

        /** Kills the jar once it has caught up to within {@code behind} lines of what is written: mid-stream. */
        void killWhenBehind(IntSupplier arrived, LogrotatedLog writer, int behind, String what) {
            awaitArrived(arrived, writer.written() - behind);
            int at = arrived.getAsInt();
            assertThat(process.kill()).as("exit code of SIGKILL").isEqualTo(137);
            kills++;
            note(what + " when " + at + " had arrived", writer);
        }

        /** The jar's {@code ipam_logs_publish_failures_total}, read from its Prometheus endpoint (0 while it does not answer). */
        double publishFailures() {
            try {
                String metrics = HTTP.send(HttpRequest.newBuilder(process.uri("/actuator/prometheus"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                return metrics.lines().filter(line -> line.startsWith("ipam_logs_publish_failures_total"))
                        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                        .findFirst().orElse(0);
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        @Override
        public void close() {
            if (process != null) {
                process.close();
            }
        }
    }
}
