package org.vlab.ipam.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.testing.LabUplink;
import org.vlab.ipam.health.testing.ReachabilityTap;
import org.vlab.ipam.health.testing.RunningWorker;
import org.vlab.ipam.health.testing.SnapshotAnswers;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.NetworkLab;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The worker with its real probes (fping, NIO connects) against a lab of network namespaces
 * behind a LAN router: a live host with a TCP server, a host whose firewall drops everything,
 * a host with nothing listening on the mapped port, and one such host that also ignores pings
 * (as Windows does by default), whose reset alone tells it is up. The worker runs in this JVM in the
 * root namespace, routed into the lab, and talks to the real broker; its events must say
 * exactly which host is which, and declare a change only after the configured cycles.
 */
@NetnsTest
@IntegrationTest
class LabReachabilityTests {

    private static final int PORT = 8080;
    private static final int CHANGE_AFTER = 3;

    @Test
    void eventsTellTheLiveTheSilentAndTheClosedHostApartAndChangeOnlyAfterTheConfiguredCycles(TestVhost vhost) {
        // A /16 of its own per run, so a crashed earlier run's leftovers cannot answer for this one.
        String net = "10." + ThreadLocalRandom.current().nextInt(200, 250);
        String live = net + ".1.10";
        String silent = net + ".2.10";
        String closed = net + ".3.10";
        String pingless = net + ".4.10";
        GatewayId gateway = GatewayId.of(TestRedis.uniqueName("lab"));
        LabUplink uplink = null;
        try (NetworkLab lab = new NetworkLab()) {
            String lan = lab.namespace("lan");
            String liveHost = host(lab, lan, "live", net, 1);
            String silentHost = host(lab, lan, "silent", net, 2);
            host(lab, lan, "closed", net, 3);
            String pinglessHost = host(lab, lan, "noping", net, 4);
            lab.exec(pinglessHost, "iptables", "-A", "INPUT", "-p", "icmp", "--icmp-type", "echo-request", "-j", "DROP");
            lab.exec(lan, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            uplink = LabUplink.open(lan, net + ".255.1/30", net + ".255.2/30", net + ".0.0/16");
            lab.exec(silentHost, "iptables", "-A", "INPUT", "-j", "DROP");
            lab.start(liveHost, "socat", "TCP-LISTEN:" + PORT + ",reuseaddr,fork", "SYSTEM:echo hello");
            await("the live host's server").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> connects(live));

            try (SnapshotAnswers api = new SnapshotAnswers(vhost.connectionFactory(), gateway);
                    ReachabilityTap tap = new ReachabilityTap(vhost.connectionFactory(), gateway)) {
                api.record(live, PORT, MappingState.APPLIED);
                api.record(silent, PORT, MappingState.APPLIED);
                api.record(closed, PORT, MappingState.PENDING);
                api.record(pingless, PORT, MappingState.APPLIED);
                Map<String, String> settings = Map.of("probe-period", "1s", "probe-timeout", "300ms",
                        "icmp-echoes", "2", "change-after-cycles", Integer.toString(CHANGE_AFTER));
                try (RunningWorker worker = RunningWorker.start(vhost, gateway, settings, null)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> tap.about(live).size() >= 2
                            && tap.about(silent).size() >= 2 && tap.about(closed).size() >= 2
                            && tap.about(pingless).size() >= 2);

                    assertLive(tap.about(live).get(0));
                    assertSilent(tap.about(silent).get(0));
                    assertClosedPort(tap.about(closed).get(0));
                    assertClosedPortNoPing(tap.about(pingless).get(0));

                    lab.exec(liveHost, "iptables", "-A", "INPUT", "-j", "DROP");
                    await().atMost(Duration.ofSeconds(30)).until(() -> tap.silentRun(live).size() >= CHANGE_AFTER + 1);
                    lab.exec(liveHost, "iptables", "-D", "INPUT", "-j", "DROP");
                    await().atMost(Duration.ofSeconds(30)).until(() -> tap.afterSilentRun(live).size() >= CHANGE_AFTER + 1);
                }

                List<ReachabilityObserved> wentSilent = tap.silentRun(live).subList(0, CHANGE_AFTER + 1);
                assertThat(wentSilent).allSatisfy(LabReachabilityTests::assertTimedOut);
                assertThat(wentSilent).extracting(ReachabilityObserved::routable).containsExactly(true, true, false, false);
                assertThat(wentSilent).extracting(ReachabilityObserved::changed).containsExactly(false, false, true, false);
                List<ReachabilityObserved> cameBack = tap.afterSilentRun(live).subList(0, CHANGE_AFTER + 1);
                // The first may have been under way as the firewall opened: answered, if not by both probes.
                assertThat(cameBack).allMatch(ReachabilityTap::answered);
                assertThat(cameBack.subList(1, cameBack.size())).allSatisfy(LabReachabilityTests::assertLiveProbes);
                assertThat(cameBack).extracting(ReachabilityObserved::routable).containsExactly(false, false, true, true);
                assertThat(cameBack).extracting(ReachabilityObserved::changed).containsExactly(false, false, true, false);
                assertThat(tap.about(silent)).allSatisfy(event -> {
                    assertSilent(event);
                    assertThat(event.changed()).isFalse();
                });
                assertThat(tap.about(closed)).allSatisfy(event -> {
                    assertClosedPort(event);
                    assertThat(event.changed()).isFalse();
                });
                assertThat(tap.about(pingless)).allSatisfy(event -> {
                    assertClosedPortNoPing(event);
                    assertThat(event.changed()).isFalse();
                });
            }
        } finally {
            if (uplink != null) {
                uplink.close();
                assertThat(uplink.leftInRoot()).as("nothing left in the root namespace").isFalse();
            }
        }
    }

    /** A host namespace on its own LAN segment {@code <net>.<segment>.0/24}, routed through the LAN router. */
    private static String host(NetworkLab lab, String lan, String role, String net, int segment) {
        String host = lab.namespace(role);
        lab.link(lan, net + "." + segment + ".1/24", host, net + "." + segment + ".10/24");
        lab.exec(host, "ip", "route", "add", "default", "via", net + "." + segment + ".1");
        return host;
    }

    private static boolean connects(String address) throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.socket().connect(new InetSocketAddress(address, PORT), 500);
            return true;
        }
    }

    private static void assertLive(ReachabilityObserved event) {
        assertLiveProbes(event);
        assertThat(event.routable()).isTrue();
        assertThat(event.changed()).isFalse();
        assertThat(event.lastSeenAlive()).isEqualTo(event.observedAt());
    }

    private static void assertLiveProbes(ReachabilityObserved event) {
        assertThat(event.icmp().outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        assertThat(event.icmp().sent()).isEqualTo(2);
        assertThat(event.icmp().received()).isEqualTo(2);
        assertThat(event.icmp().rttMillis()).isNotNull().isPositive();
        assertThat(event.tcp()).singleElement().satisfies(tcp -> {
            assertThat(tcp.port()).isEqualTo(TargetPort.of(PORT));
            assertThat(tcp.outcome()).isEqualTo(ProbeOutcome.ANSWERED);
            assertThat(tcp.latencyMillis()).isNotNull().isLessThan(300.0);
        });
    }

    private static void assertTimedOut(ReachabilityObserved event) {
        assertThat(event.icmp().outcome()).isEqualTo(ProbeOutcome.TIMED_OUT);
        assertThat(event.icmp().sent()).isEqualTo(2);
        assertThat(event.icmp().received()).isZero();
        assertThat(event.icmp().loss()).isEqualTo(1.0);
        assertThat(event.tcp()).extracting(TcpProbe::outcome).containsExactly(ProbeOutcome.TIMED_OUT);
        assertThat(event.tcp().get(0).latencyMillis()).isNull();
    }

    private static void assertSilent(ReachabilityObserved event) {
        assertTimedOut(event);
        assertThat(event.routable()).isFalse();
        assertThat(event.lastSeenAlive()).isNull();
    }

    private static void assertClosedPort(ReachabilityObserved event) {
        assertThat(event.icmp().outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        assertRefused(event);
    }

    private static void assertClosedPortNoPing(ReachabilityObserved event) {
        assertThat(event.icmp().outcome()).isEqualTo(ProbeOutcome.TIMED_OUT);
        assertRefused(event);
        assertThat(event.lastSeenAlive()).isNotNull();
    }

    private static void assertRefused(ReachabilityObserved event) {
        assertThat(event.tcp()).singleElement().satisfies(tcp -> {
            assertThat(tcp.outcome()).isEqualTo(ProbeOutcome.REFUSED);
            assertThat(tcp.latencyMillis()).isNotNull();
        });
        assertThat(event.routable()).as("a reset means the host is up").isTrue();
    }
}
