package org.vlab.ipam.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vlab.ipam.testsupport.NetnsTest;

/**
 * Runs {@code demo/gateway-in-a-box}, which is the end-to-end story: the API in the root
 * namespace against the local Redis and RabbitMQ; agent, health worker, log forwarder and
 * ulogd2 in a gateway namespace; a lab server and a client in their own namespaces. Through
 * the REST API only it creates a port map, looks it up as {@code vlab connect} does, connects
 * from the client, waits for {@code routable: true}, finds the connection on the central log
 * queue attributed to the port, deletes the map and sees the connection refused. The script
 * checks each step and exits non-zero naming the first that failed; the demo and this test
 * are one and the same, so the demo cannot rot. It runs once with each of the agent's firewall
 * backends: the connection is logged and attributed to its port through nftables' log blocks too.
 */
@NetnsTest
class GatewayInABoxSystemTests {

    @ParameterizedTest
    @ValueSource(strings = {"iptables", "nftables"})
    void aVlabUserReachesTheirLabThroughTheGatewayAndEveryStepIsVisible(String backend)
            throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("repository.root", "..")).toRealPath();
        Path output = root.resolve("system-tests/target/gateway-in-a-box-" + backend + ".log");
        Files.createDirectories(output.getParent());
        ProcessBuilder builder = new ProcessBuilder(root.resolve("demo/gateway-in-a-box").toString(), "--no-build")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("IPAM_FIREWALL_BACKEND", backend);
        Process demo = builder.start();

        boolean finished = demo.waitFor(8, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(output);

        assertThat(finished).as("the demo finished within 8 minutes; output in %s", output).isTrue();
        assertThat(demo.exitValue()).as("exit status; the demo's output:%n%s", String.join("\n", lines)).isZero();
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("HTTP 200").contains("\"conn_port\""))
                .anySatisfy(line -> assertThat(line).contains("the lab answered: hello from the lab"))
                .anySatisfy(line -> assertThat(line).contains("\"routable\":true"))
                .anySatisfy(line -> assertThat(line).contains("firewall.log-batch").contains("\"prefix\": \"VLABFWD:")
                        .contains("\"conn_port\":"))
                .anySatisfy(line -> assertThat(line).contains("connections_24h=").contains("last_source=203.0.113.10"))
                .anySatisfy(line -> assertThat(line).contains("refused, as it should be"))
                .anySatisfy(line -> assertThat(line).contains("firewall backend: " + backend))
                .anySatisfy(line -> assertThat(line).contains("done: every step worked"));
    }
}
