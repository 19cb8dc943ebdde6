package org.vlab.ipam.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.testing.ReachabilityTap;
import org.vlab.ipam.health.testing.RunningWorker;
import org.vlab.ipam.health.testing.ScriptedNetwork;
import org.vlab.ipam.health.testing.SnapshotAnswers;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The worker over the real broker with udp mappings in its snapshot (the {@code protocol} field
 * as the API writes it): a udp target gets an ICMP echo and never a TCP connect, and its
 * reachability event says routable exactly when the echo was answered. The network is
 * scripted, recording every probe sent.
 */
@IntegrationTest
class UdpReachabilityEventsTests {

    private static final Map<String, String> FAST = Map.of("probe-period", "1s", "probe-timeout", "200ms",
            "change-after-cycles", "1");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String UDP_LIVE = "192.168.1.53";
    private static final String UDP_SILENT = "192.168.1.54";
    private static final String MIXED = "192.168.1.60";

    private final ScriptedNetwork network = new ScriptedNetwork();

    @Test
    void aUdpTargetGetsOnlyAnEchoAndIsRoutableWhenItAnswers(TestVhost vhost) {
        GatewayId gateway = GatewayId.of(TestRedis.uniqueName("gw"));
        try (SnapshotAnswers api = new SnapshotAnswers(vhost.connectionFactory(), gateway);
                ReachabilityTap tap = new ReachabilityTap(vhost.connectionFactory(), gateway)) {
            api.record(UDP_LIVE, 53, Protocol.UDP, MappingState.APPLIED);
            api.record(UDP_LIVE, 5353, Protocol.UDP, MappingState.PENDING);
            api.record(UDP_SILENT, 514, Protocol.UDP, MappingState.APPLIED);
            api.record(MIXED, 22, Protocol.TCP, MappingState.APPLIED);
            api.record(MIXED, 53, Protocol.UDP, MappingState.APPLIED);
            network.answer(UDP_SILENT, false);

            try (RunningWorker worker = RunningWorker.start(vhost, gateway, FAST, network)) {
                await().atMost(WAIT).until(() -> tap.about(UDP_LIVE).size() >= 2 && tap.about(UDP_SILENT).size() >= 2
                        && tap.about(MIXED).size() >= 2);
            }

            assertThat(network.connects()).as("TCP connects: the tcp mapping's port, never a udp one")
                    .isNotEmpty().containsOnly(MIXED + ":22");
            assertThat(network.echoes()).contains(UDP_LIVE, UDP_SILENT, MIXED);
            assertThat(tap.about(UDP_LIVE)).allSatisfy(event -> {
                assertThat(event.icmp().outcome()).isEqualTo(ProbeOutcome.ANSWERED);
                assertThat(event.tcp()).isEmpty();
                assertThat(event.routable()).isTrue();
                assertThat(event.changed()).isFalse();
                assertThat(event.lastSeenAlive()).isEqualTo(event.observedAt());
            });
            assertThat(tap.about(UDP_SILENT)).allSatisfy(event -> {
                assertThat(event.icmp().outcome()).isEqualTo(ProbeOutcome.TIMED_OUT);
                assertThat(event.tcp()).isEmpty();
                assertThat(event.routable()).isFalse();
                assertThat(event.lastSeenAlive()).isNull();
            });
            assertThat(tap.about(MIXED)).allSatisfy(event -> {
                assertThat(event.tcp()).extracting(TcpProbe::port).containsExactly(TargetPort.of(22));
                assertThat(event.routable()).isTrue();
            });
        }
    }
}
