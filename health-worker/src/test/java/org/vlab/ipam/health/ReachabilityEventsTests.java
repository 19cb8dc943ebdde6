package org.vlab.ipam.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.health.testing.ReachabilityTap;
import org.vlab.ipam.health.testing.RunningWorker;
import org.vlab.ipam.health.testing.ScriptedNetwork;
import org.vlab.ipam.health.testing.SnapshotAnswers;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The worker over the real broker: it learns its targets from a snapshot answered by the test
 * (as ipam-api answers) before every cycle, and publishes reachability events
 * that a subscriber's own queue receives. The network is scripted here; the lab test probes a
 * real one.
 */
@IntegrationTest
class ReachabilityEventsTests {

    private static final Map<String, String> FAST = Map.of("probe-period", "1s", "probe-timeout", "200ms");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ScriptedNetwork network = new ScriptedNetwork();

    private static GatewayId newGateway() {
        return GatewayId.of(TestRedis.uniqueName("gw"));
    }

    @Test
    void publishesOneEventPerRecordedAddressPerCycleWithTheProbesOfItsMappedPorts(TestVhost vhost) {
        GatewayId gateway = newGateway();
        try (SnapshotAnswers api = new SnapshotAnswers(vhost.connectionFactory(), gateway);
                ReachabilityTap tap = new ReachabilityTap(vhost.connectionFactory(), gateway)) {
            api.record("192.168.1.20", 8080, MappingState.PENDING);
            api.record("192.168.1.20", 22, MappingState.APPLIED);
            api.record("192.168.1.30", 443, MappingState.APPLIED);
            api.record("192.168.1.40", 22, MappingState.FAILED);
            api.record("192.168.1.50", 22, MappingState.REMOVING);
            network.answer("192.168.1.30", false);

            try (RunningWorker worker = RunningWorker.start(vhost, gateway, FAST, network)) {
                await().atMost(WAIT).until(() -> tap.about("192.168.1.20").size() >= 2
                        && tap.about("192.168.1.30").size() >= 2);

                assertThat(tap.events()).extracting(event -> event.address().toString()).containsOnly("192.168.1.20",
                        "192.168.1.30");
                assertThat(tap.allTypedAsReachability()).isTrue();
                ReachabilityObserved live = tap.about("192.168.1.20").get(0);
                assertThat(live.gateway()).isEqualTo(gateway);
                assertThat(live.icmp().outcome()).isEqualTo(ProbeOutcome.ANSWERED);
                assertThat(live.tcp()).extracting(TcpProbe::port, TcpProbe::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TargetPort.of(22), ProbeOutcome.ANSWERED),
                        org.assertj.core.groups.Tuple.tuple(TargetPort.of(8080), ProbeOutcome.ANSWERED));
                assertThat(live.routable()).isTrue();
                assertThat(live.changed()).isFalse();
                assertThat(live.lastSeenAlive()).isEqualTo(live.observedAt());
                ReachabilityObserved dead = tap.about("192.168.1.30").get(0);
                assertThat(dead.tcp()).extracting(TcpProbe::outcome).containsExactly(ProbeOutcome.TIMED_OUT);
                assertThat(dead.routable()).isFalse();
                assertThat(dead.changed()).isFalse();
                assertThat(dead.lastSeenAlive()).isNull();
                assertThat(api.requests()).first().satisfies(request -> {
                    assertThat(request.gateway()).isEqualTo(gateway);
                    assertThat(request.requester()).isEqualTo("health-worker");
                });
                assertThat(api.userIds()).as("user_id of the snapshot requests: the connection's user")
                        .isNotEmpty().containsOnly(vhost.endpoint().username());
                MeterRegistry meters = worker.bean(MeterRegistry.class);
                assertThat(meters.get("ipam.health.probes").tags("kind", "tcp", "outcome", "timed_out").counter()
                        .count()).isGreaterThanOrEqualTo(2);
                assertThat(meters.get("ipam.health.cycle.duration").timer().count()).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void aChangeIsDeclaredOnlyAfterTheConfiguredNumberOfAgreeingCycles(TestVhost vhost) {
        GatewayId gateway = newGateway();
        try (SnapshotAnswers api = new SnapshotAnswers(vhost.connectionFactory(), gateway);
                ReachabilityTap tap = new ReachabilityTap(vhost.connectionFactory(), gateway)) {
            api.record("192.168.1.20", 22, MappingState.APPLIED);
            Map<String, String> settings = Map.of("probe-period", "1s", "probe-timeout", "200ms",
                    "change-after-cycles", "3");
            try (RunningWorker worker = RunningWorker.start(vhost, gateway, settings, network)) {
                await().atMost(WAIT).until(() -> tap.about("192.168.1.20").size() >= 1);
                network.answer("192.168.1.20", false);
                await().atMost(WAIT).until(() -> tap.silentRun("192.168.1.20").size() >= 4);
                network.answer("192.168.1.20", true);
                await().atMost(WAIT).until(() -> tap.afterSilentRun("192.168.1.20").size() >= 4);
            }
            List<ReachabilityObserved> silent = tap.silentRun("192.168.1.20").subList(0, 4);
            assertThat(silent).extracting(ReachabilityObserved::routable).containsExactly(true, true, false, false);
            assertThat(silent).extracting(ReachabilityObserved::changed).containsExactly(false, false, true, false);
            Instant lastAnswer = tap.about("192.168.1.20").get(0).lastSeenAlive();
            assertThat(silent).allSatisfy(event -> assertThat(event.lastSeenAlive()).isAfterOrEqualTo(lastAnswer)
                    .isBefore(silent.get(0).observedAt()));
            List<ReachabilityObserved> back = tap.afterSilentRun("192.168.1.20").subList(0, 4);
            assertThat(back).extracting(ReachabilityObserved::routable).containsExactly(false, false, true, true);
            assertThat(back).extracting(ReachabilityObserved::changed).containsExactly(false, false, true, false);
            assertThat(tap.about("192.168.1.20").stream().filter(ReachabilityObserved::changed)).hasSize(2);
        }
    }

    @Test
    void everyCycleProbesWhatTheSnapshotHoldsThenWithoutAQueueOfItsOwn(TestVhost vhost) {
        GatewayId gateway = newGateway();
        try (SnapshotAnswers api = new SnapshotAnswers(vhost.connectionFactory(), gateway);
                ReachabilityTap tap = new ReachabilityTap(vhost.connectionFactory(), gateway)) {
            api.record("192.168.1.20", 22, MappingState.APPLIED);
            try (RunningWorker worker = RunningWorker.start(vhost, gateway, FAST, network)) {
                await().atMost(WAIT).until(() -> tap.about("192.168.1.20").size() >= 1);

                api.record("192.168.1.60", 3389, MappingState.APPLIED);
                await().atMost(WAIT).until(() -> !tap.about("192.168.1.60").isEmpty());
                api.forget("192.168.1.20");
                int asked = api.requests().size();
                await().atMost(WAIT).until(() -> api.requests().size() > asked);
                int eventsOfForgotten = tap.about("192.168.1.20").size();
                int eventsOfNew = tap.about("192.168.1.60").size();
                await().atMost(WAIT).until(() -> tap.about("192.168.1.60").size() >= eventsOfNew + 2);

                assertThat(tap.about("192.168.1.20").size()).as("no longer probed")
                        .isLessThanOrEqualTo(eventsOfForgotten + 1);
                assertThat((long) api.requests().size()).as("one snapshot per cycle")
                        .isLessThanOrEqualTo(worker.bean(MeterRegistry.class).get("ipam.health.cycle.duration").timer()
                                .count() + 1);
                assertThat(new RabbitAdmin(vhost.connectionFactory()).getQueueProperties("ipam.health." + gateway))
                        .as("the worker declares no queue: no agent answer is copied to it").isNull();
            }
        }
    }

    @Test
    void aWorkerStartedBeforeTheApiKeepsAskingAndProbesOnceAnswered(TestVhost vhost) {
        GatewayId gateway = newGateway();
        // No API has ever run on this broker: not even its queue is there (other tests declared it).
        new RabbitAdmin(vhost.connectionFactory()).deleteQueue(Topology.API_SNAPSHOT_QUEUE);
        try (ReachabilityTap tap = new ReachabilityTap(vhost.connectionFactory(), gateway);
                RunningWorker worker = RunningWorker.start(vhost, gateway, FAST, network)) {
            await().atMost(WAIT).until(() -> worker.bean(MeterRegistry.class).get("ipam.health.failures")
                    .tag("stage", "snapshot").functionCounter().count() >= 2);

            try (SnapshotAnswers api = new SnapshotAnswers(vhost.connectionFactory(), gateway)) {
                api.record("192.168.1.20", 22, MappingState.APPLIED);

                await().atMost(WAIT).until(() -> !tap.about("192.168.1.20").isEmpty());
            }
        }
    }
}
