package org.vlab.ipam.api.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.api.addr.ReachabilityStore;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.ScratchRedis;
import org.vlab.ipam.api.usage.ForwardedConnections;
import org.vlab.ipam.api.usage.ForwardedConnections.Connection;
import org.vlab.ipam.api.usage.UsageRecorder;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.LogSource;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;
import org.vlab.ipam.testsupport.IntegrationTest;

/**
 * The API's scripts, run by the real API against a Redis of the test's own under MONITOR,
 * touch only the keys they declare: every create, replay, confirmation (applied, removed,
 * released), read, snapshot, reachability record and usage record (new and duplicate batch) of
 * a scenario is checked command by command.
 */
@IntegrationTest
class ScriptKeysAtRuntimeTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    @Test
    void everyScriptOfAScenarioTouchesOnlyItsDeclaredKeys(TestVhost vhost, TestRedis redis) throws Exception {
        String gateway = TestRedis.uniqueName("declared");
        try (ScratchRedis scratch = ScratchRedis.start();
                Monitor monitor = Monitor.of(scratch);
                ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, scratch.springProperties());
                FakeAgent agent = FakeAgent.start(vhost.connectionFactory(), gateway)) {
            ApiClient client = new ApiClient(api.port(), TOKENS);
            agent.heartbeat("203.0.113.7", "192.168.1.0/24");
            var first = client.send(org.springframework.http.HttpMethod.POST, "/api/1/ipam/portmap", gateway,
                    target("192.168.1.10", 22, "lin01", "Linux"), Map.of("Idempotency-Key", "k-1"));
            client.send(org.springframework.http.HttpMethod.POST, "/api/1/ipam/portmap", gateway,
                    target("192.168.1.10", 22, "lin01", "Linux"), Map.of("Idempotency-Key", "k-1"));
            client.post(gateway, target("192.168.1.11", 3389, "win01", "Windows"));
            api.bean(ReachabilityStore.class).record(new ReachabilityObserved(GatewayId.of(gateway),
                    LabAddress.of("192.168.1.10"), null, List.of(), true, true, Instant.now(), Instant.now())).block();
            int firstPort = first.content().get("conn_port").asInt();
            for (int batch = 0; batch < 2; batch++) { // the second time a duplicate batch
                api.bean(UsageRecorder.class).record(new ForwardedConnections(new FirewallLogBatch(GatewayId.of(gateway),
                        new LogSource("1:2:3", 0, 10), List.of()), List.of(new Connection(ConnPort.of(firstPort),
                        Instant.now(), Ipv4Address.parse("10.0.0.1")), new Connection(ConnPort.of(firstPort + 1),
                        Instant.now(), Ipv4Address.parse("10.0.0.1"))), Map.of()), Instant.now()).block();
            }
            for (String query : List.of("", "?name=lin01", "?target_addr=192.168.1.11", "?component=Linux",
                    "?conn_port=" + first.content().get("conn_port").asInt(), "?target_port=3389")) {
                assertThat(client.get(gateway, "/api/1/ipam/portmap" + query).status()).isEqualTo(200);
            }
            assertThat(client.get(gateway, "/api/1/ipam/addr?name=lin01").status()).isEqualTo(200);
            assertThat(client.delete(gateway, first.content().get("conn_port").asInt()).status()).isEqualTo(200);
            agent.failWith("refused by the test");
            assertThat(client.post(gateway, target("192.168.1.12", 22, "lin02", "Linux")).status()).isEqualTo(500);
            agent.requestSnapshot();

            MonitoredScripts monitored = monitor.stop();
            assertThat(monitored.scripts()).as("scripts run").isGreaterThanOrEqualTo(15);
            assertThat(monitored.scriptCommands()).as("commands the scripts ran").isGreaterThanOrEqualTo(50);
            assertThat(monitored.undeclared()).isEmpty();
        }
    }

    @Test
    void refusesAScriptThatTouchesAKeyItDidNotDeclare() throws Exception {
        try (ScratchRedis scratch = ScratchRedis.start(); Monitor monitor = Monitor.of(scratch)) {
            scratch.commands().eval("redis.call('HGET', KEYS[1], 'f') return redis.call('GET', ARGV[1] .. ':map:1')",
                    io.lettuce.core.ScriptOutputType.VALUE, new String[] {"ipam:{g}:maps"}, "ipam:{g}");

            MonitoredScripts monitored = monitor.stop();
            assertThat(monitored.scripts()).isEqualTo(1);
            assertThat(monitored.undeclared()).singleElement().asString().startsWith("GET ipam:{g}:map:1");
        }
    }

    /** {@code redis-cli monitor} on the scratch server, written to a file. */
    record Monitor(Process process, File output, ScratchRedis redis) implements AutoCloseable {

        static Monitor of(ScratchRedis redis) throws IOException {
            File output = new File("target/monitor-" + redis.port() + ".txt");
            Process process = new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()), "monitor")
                    .redirectErrorStream(true).redirectOutput(output).start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(output.toPath()).contains("OK"));
            return new Monitor(process, output, redis);
        }

        /** Stops monitoring once a marker command shows everything before it was written. */
        MonitoredScripts stop() throws IOException {
            redis.commands().echo("monitor-end");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(output.toPath()).contains("monitor-end"));
            close();
            return MonitoredScripts.read(Files.readAllLines(output.toPath()));
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
