package org.vlab.ipam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.agent.testing.AgentPermissions;
import org.vlab.ipam.agent.testing.AgentUser;
import org.vlab.ipam.agent.testing.ApiStandIn;
import org.vlab.ipam.agent.testing.GatewayLab;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.GatewayState;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent jar under faults (docs/reliability.md): killed during a burst with its chains
 * flushed meanwhile, the xtables lock held by another tool, an iptables-restore that refuses
 * every NFLOG line. A fault never silently removes, loses or freezes a mapping.
 */
@NetnsTest
@IntegrationTest
class GatewayFaultJarTests {

    private static final int LAB_PORT = 8022;
    private static final Duration APPLY = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final GatewayId id = GatewayId.of(TestRedis.uniqueName("gw"));
    private GatewayLab gateway;
    private ApiStandIn api;
    private AgentUser user;
    private ServiceProcess agent;
    private Process lockHolder;

    private void buildGateway(TestVhost vhost, String iptables) {
        gateway = new GatewayLab(vhost, iptables);
        api = new ApiStandIn(vhost, id);
        user = AgentUser.create(vhost, id, AgentPermissions.ownQueues(id));
        gateway.startLabServer(LAB_PORT);
    }

    @AfterEach
    void tearDown() {
        if (lockHolder != null) {
            lockHolder.destroyForcibly();
        }
        if (agent != null) {
            agent.close();
        }
        api.close();
        user.close();
        gateway.close();
    }

    @Test
    void agentKilledDuringABurstOf500CommandsWithItsChainsFlushedMeanwhileConvergesToExactlyTheDesiredRules(
            TestVhost vhost) {
        buildGateway(vhost, "iptables");
        Map<String, String> widerRange = Map.of("VLAB_PORT_MAX", "50999");
        startAgent(widerRange);
        for (int port = 50100; port < 50110; port++) {
            api.create(port, labTarget(LAB_PORT));
        }
        await("first mappings applied").atMost(APPLY).until(this::allApplied);
        int answersBefore = api.events().size();

        // 400 creates and 100 removes of mappings the burst created; the agent is killed halfway
        List<CompletableFuture<Long>> burst = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            burst.add(api.publish(50200 + k, labTarget(22), MappingState.PENDING));
            if (k % 4 == 3) {
                burst.add(api.publish(50200 + k - 3, null, MappingState.REMOVING));
            }
            if (k == 200) {
                await("part of the burst answered").atMost(APPLY).until(() -> api.events().size() > answersBefore + 5);
                agent.kill();
                gateway.flushAgentChains();
            }
        }
        burst.forEach(CompletableFuture::join);
        assertThat(burst).hasSize(500);
        assertThat(gateway.clientReachesLab(50100)).as("chains flushed while the agent is down").isFalse();

        long restart = System.nanoTime();
        agent = null;
        startAgent(widerRange);
        long healthy = System.nanoTime();
        await("converged after restart").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> allApplied() && gateway.agentRules().matches(gateway.rulesFor(api.desired())));
        System.out.printf("[kill-500] converged %.1f s after the restarted agent was healthy (JVM start %.1f s): "
                + "%d mappings, %d rules%n", (System.nanoTime() - healthy) / 1e9, (healthy - restart) / 1e9,
                api.desired().size(), 3 * api.desired().size());

        assertThat(api.desired()).hasSize(10 + 300);
        assertThat(gateway.agentRules().nat().rules()).as("the DNAT rules of mappings")
                .filteredOn(rule -> rule.contains("vlab-ipam:")).hasSize(api.desired().size());
        assertThat(api.events(PortMapFailed.class)).isEmpty();
        assertThat(gateway.clientReachesLab(50100)).isTrue();
        assertThat(gateway.clientReachesLab(50200)).as("removed in the burst").isFalse();
        assertThat(gateway.iptablesSave()).contains(GatewayLab.ADMIN_RULES);
    }

    @Test
    void commandsArrivingWhileAnotherToolHoldsTheXtablesLockStayPendingAndAreAppliedWhenItIsReleased(
            TestVhost vhost, @TempDir Path directory) throws IOException {
        // only legacy iptables takes the xtables lock; the agent gets its own lock file, not the machine's
        buildGateway(vhost, "iptables-legacy");
        Path lockFile = Files.createFile(directory.resolve("xtables.lock"));
        startAgent(Map.of("XTABLES_LOCKFILE", lockFile.toString(), "IPAM_RECONCILE_PERIOD", "5s"));
        api.create(50001, labTarget(LAB_PORT));
        await("first mapping applied").atMost(APPLY).until(this::allApplied);
        assertThat(agent.outputLines()).anyMatch(line -> line.contains("using iptables-legacy"));

        lockHolder = new ProcessBuilder("flock", lockFile.toString(), "sleep", "20").start();
        long held = System.nanoTime();
        await("lock held").atMost(Duration.ofSeconds(5))
                .until(() -> new ProcessBuilder("flock", "-n", lockFile.toString(), "true").start().waitFor() != 0);
        for (int port = 50002; port < 50012; port++) {
            api.create(port, labTarget(LAB_PORT));
        }

        await("pending while the lock is held").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(14))
                .until(() -> api.events(PortMapFailed.class).isEmpty()
                        && api.mappings().stream().filter(m -> m.port().value() > 50001)
                                .allMatch(m -> m.state() == MappingState.PENDING));
        await("applied after the lock is released").atMost(Duration.ofSeconds(60)).until(this::allApplied);
        System.out.printf("[xtables-lock] 10 commands applied %.1f s after the 20 s lock was taken%n",
                (System.nanoTime() - held) / 1e9);

        assertThat(api.events(PortMapFailed.class)).isEmpty();
        assertThat(gateway.agentRules().matches(gateway.rulesFor(api.desired()))).isTrue();
        assertThat(agent.outputLines()).anyMatch(line -> line.contains("holding the xtables lock"))
                .anyMatch(line -> line.contains("will be retried; changes stay pending"));
        assertThat(gateway.clientReachesLab(50011)).isTrue();
    }

    @Test
    void anIptablesRestoreThatRefusesEveryNflogLineRemovesNoMappingAndReportsTheGatewayDegraded(TestVhost vhost,
            @TempDir Path directory) throws IOException {
        buildGateway(vhost, "iptables");
        Path refuse = directory.resolve("refuse-nflog");
        Map<String, String> environment = new HashMap<>(standIns(directory, refuse));
        startAgent(environment);
        api.create(50001, labTarget(LAB_PORT));
        api.create(50002, labTarget(LAB_PORT));
        await("mappings applied").atMost(APPLY).until(this::allApplied);

        Files.createFile(refuse); // as if the new image had no NFLOG support
        long broken = System.nanoTime();
        api.create(50003, labTarget(LAB_PORT));
        api.create(50004, labTarget(LAB_PORT));

        await("degraded heartbeat").atMost(APPLY).until(() -> api.lastHeartbeat()
                .filter(heartbeat -> heartbeat.state() == GatewayState.DEGRADED).isPresent());
        System.out.printf("[nflog-refused] degraded heartbeat %.1f s after the first refused command; "
                + "%d mappings failed, %d removed%n", (System.nanoTime() - broken) / 1e9,
                api.events(PortMapFailed.class).size(), 4 - api.mappings().size());
        assertThat(api.lastHeartbeat().orElseThrow().reason()).contains("Couldn't load target `NFLOG'");
        JsonNode health = health();
        assertThat(health.path("status").asString()).isEqualTo("DOWN");
        assertThat(health.at("/components/firewall/description").asString()).contains("NFLOG");
        assertThat(gateway.clientReachesLab(50001)).as("the applied mapping still forwards").isTrue();
        // iptables-restore commits per table: the refused mappings' DNAT may be in nat, never their accept
        assertThat(gateway.agentRules().filter().rules()).filteredOn(rule -> rule.contains("vlab-ipam:")).hasSize(4)
                .noneMatch(rule -> rule.contains("--ctorigdstport 50003") || rule.contains("--ctorigdstport 50004"));
        assertThat(gateway.clientReachesLab(50003)).as("a refused mapping does not forward").isFalse();
        await("nothing failed or removed").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> api.events(PortMapFailed.class).isEmpty() && api.mappings().size() == 4);

        Files.delete(refuse);
        long fixed = System.nanoTime();
        await("applied once NFLOG works again").atMost(Duration.ofSeconds(45)).until(this::allApplied);
        await("ok heartbeat").atMost(APPLY).until(() -> api.lastHeartbeat()
                .filter(heartbeat -> heartbeat.state() == GatewayState.OK).isPresent());
        System.out.printf("[nflog-refused] pending mappings applied and state ok %.1f s after NFLOG worked again%n",
                (System.nanoTime() - fixed) / 1e9);
        assertThat(api.events(PortMapFailed.class)).isEmpty();
        assertThat(gateway.agentRules().matches(gateway.rulesFor(api.desired()))).isTrue();
        assertThat(health().path("status").asString()).isEqualTo("UP");
    }

    /**
     * iptables-restore stand-ins first on the agent's PATH: each wraps the real program and,
     * while {@code refuse} exists, refuses the input's first NFLOG line as an iptables without
     * NFLOG support does. Run through stdbuf, as the agent's long-lived restore is, a stand-in
     * passes its input on line by line, counting lines over its whole life as the real one does.
     */
    private static Map<String, String> standIns(Path directory, Path refuse) throws IOException {
        for (String program : List.of("iptables-restore", "iptables-nft-restore", "iptables-legacy-restore")) {
            Path script = directory.resolve(program);
            Files.writeString(script, """
                    #!/bin/bash
                    if [[ ${LD_PRELOAD:-} == *stdbuf* ]]; then
                      n=0
                      while IFS= read -r line; do
                        n=$((n + 1))
                        if [ -e '%1$s' ] && [[ $line == *'-j NFLOG'* ]]; then
                          echo "iptables-restore v1.8.9 (nf_tables): Couldn't load target \\`NFLOG':No such file or directory" >&2
                          echo >&2
                          echo "Error occurred at line: $n" >&2
                          exit 2
                        fi
                        printf '%%s\\n' "$line"
                      done | /usr/sbin/%2$s "$@"
                      exit
                    fi
                    input=$(cat)
                    if [ -e '%1$s' ]; then
                      line=$(printf '%%s\\n' "$input" | grep -n -m1 -e '-j NFLOG' | cut -d: -f1)
                      if [ -n "$line" ]; then
                        echo "iptables-restore v1.8.9 (nf_tables): Couldn't load target \\`NFLOG':No such file or directory" >&2
                        echo >&2
                        echo "Error occurred at line: $line" >&2
                        exit 2
                      fi
                    fi
                    printf '%%s\\n' "$input" | exec /usr/sbin/%2$s "$@"
                    """.formatted(refuse, program));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return Map.of("PATH", directory + ":" + System.getenv("PATH"));
    }

    private boolean allApplied() {
        return api.mappings().stream().allMatch(mapping -> mapping.state() == MappingState.APPLIED);
    }

    private JsonNode health() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(agent.uri("/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return JsonMapper.builder().build().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void startAgent(Map<String, String> environment) {
        agent = gateway.startAgent(id, user, "own-queues", environment);
        agent.awaitHealthy(Duration.ofSeconds(120)); // a busy CI machine starts the jar slowly
        await("snapshot requested").atMost(APPLY).until(() -> api.snapshotRequests() > 0);
    }

    private static PortMapTarget labTarget(int port) {
        return new PortMapTarget(LabAddress.of(GatewayLab.LAB_HOST_ADDRESS), TargetPort.of(port),
                MachineName.of("lab host"), Component.of("Linux"));
    }
}
