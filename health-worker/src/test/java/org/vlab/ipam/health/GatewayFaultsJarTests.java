package org.vlab.ipam.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.health.testing.WorkerInNamespace.LAB_HOST;
import static org.vlab.ipam.health.testing.WorkerInNamespace.LAB_PORT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.testing.ReachabilityTap;
import org.vlab.ipam.health.testing.ReachabilityTap.Arrival;
import org.vlab.ipam.health.testing.SnapshotAnswers;
import org.vlab.ipam.health.testing.WorkerInNamespace;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The worker's jar on a gateway namespace, faults made inside that namespace only (the host's
 * firewall and its shared RabbitMQ are never touched): a broker black-holed for a minute, and
 * the gateway's own firewall refusing the probes' packets. The API's snapshot and a subscriber
 * are played in this JVM, on the broker directly.
 */
@NetnsTest
@IntegrationTest
class GatewayFaultsJarTests {

    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    /** A cycle is 300 ms of probes at most; the next starts one period after the last started. */
    private static final Duration LONGEST_GAP = PERIOD.plusMillis(1500);

    private static SnapshotAnswers api;
    private static ReachabilityTap tap;
    private static WorkerInNamespace gateway;

    @BeforeAll
    static void startWorkerOnItsGateway(TestVhost vhost) {
        GatewayId id = GatewayId.of(TestRedis.uniqueName("faults"));
        api = new SnapshotAnswers(vhost.connectionFactory(), id);
        api.record(LAB_HOST, LAB_PORT, MappingState.APPLIED);
        tap = new ReachabilityTap(vhost.connectionFactory(), id);
        gateway = new WorkerInNamespace(vhost);
        gateway.start(id, Map.of("IPAM_PROBE_PERIOD", PERIOD.toSeconds() + "s", "IPAM_PROBE_TIMEOUT", "300ms",
                "IPAM_ICMP_ECHOES", "1", "IPAM_CHANGE_AFTER_CYCLES", "2"));
        await("first events").atMost(Duration.ofSeconds(60)).until(() -> tap.about(LAB_HOST).size() >= 2);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (tap != null) {
            tap.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aBlackHoledBrokerStopsNothingCyclesKeepTheirPeriodAndHeldEventsCarryTheirProbeTimes() {
        Instant cut = Instant.now();
        gateway.blackHoleBroker();
        List<String> stalls = new CopyOnWriteArrayList<>();
        Instant restored;
        try {
            await().during(OUTAGE).atMost(OUTAGE.plusSeconds(15)).pollInterval(PERIOD).until(() -> {
                double age = Instant.now().toEpochMilli() / 1000.0 - gateway.lastFinishedCycle();
                String liveness = gateway.liveness();
                if (!(age < 3 * PERIOD.toSeconds()) || !"UP".equals(liveness)) {
                    stalls.add(String.format("at %s: last cycle %.1f s ago, liveness %s", Instant.now(), age, liveness));
                }
                return true;
            });
        } finally {
            restored = Instant.now();
            gateway.restoreBroker();
        }
        await("events probed after the broker came back").atMost(Duration.ofSeconds(60)).until(() -> tap
                .about(LAB_HOST).stream().anyMatch(event -> event.observedAt().isAfter(restored.plus(PERIOD))));

        List<Arrival> held = tap.arrivals(LAB_HOST).stream()
                .filter(arrival -> arrival.event().observedAt().isAfter(cut.plusMillis(500))
                        && arrival.event().observedAt().isBefore(restored))
                .toList();
        List<Instant> probed = tap.about(LAB_HOST).stream().map(ReachabilityObserved::observedAt).distinct().sorted()
                .toList();
        Duration longestGap = longestGap(probed);
        Duration firstHeldFor = Duration.between(held.get(0).event().observedAt(), held.get(0).at());
        Duration recovery = Duration.between(restored, held.stream().map(Arrival::at).max(Comparator.naturalOrder())
                .orElseThrow());
        System.out.printf("[reliability] broker black-holed %d s, period %d s: %d events probed during the outage,"
                + " longest gap between probe times %d ms, the first held %d s, all delivered %d ms after the black"
                + " hole ended%n", OUTAGE.toSeconds(), PERIOD.toSeconds(), held.size(), longestGap.toMillis(),
                firstHeldFor.toSeconds(), recovery.toMillis());

        assertThat(stalls).as("the cycle health and liveness while the broker was black-holed").isEmpty();
        assertThat(held.size()).as("one event per period of the outage, none lost")
                .isGreaterThanOrEqualTo((int) (OUTAGE.toSeconds() / PERIOD.toSeconds()) - 2);
        assertThat(longestGap).as("cycles kept their period").isLessThan(LONGEST_GAP);
        assertThat(held).as("nothing passed the black hole; the events waited and kept their probe times")
                .allSatisfy(arrival -> assertThat(arrival.at()).isAfterOrEqualTo(restored));
        assertThat(firstHeldFor).isGreaterThan(OUTAGE.minusSeconds(5));
        assertThat(held).allSatisfy(arrival -> {
            assertThat(arrival.event().routable()).isTrue();
            assertThat(arrival.event().changed()).isFalse();
        });
        assertThat(gateway.liveness()).isEqualTo("UP");
    }

    @Test
    void theGatewaysOwnFirewallRefusingToSendIsAProbeFailureNeverAnUnreachableHost() {
        Instant start = Instant.now();
        await("fresh events").atMost(Duration.ofSeconds(60)).until(() -> tap.about(LAB_HOST).stream()
                .anyMatch(event -> event.observedAt().isAfter(start)));
        int before = tap.about(LAB_HOST).size();
        gateway.firewallLabHost();
        try {
            // five cycles: more than twice the two agreeing cycles a real silence needs to flip the verdict
            await().atMost(Duration.ofSeconds(40)).until(() -> tap.about(LAB_HOST).size() >= before + 6);
        } finally {
            gateway.unfirewallLabHost();
        }
        List<ReachabilityObserved> firewalled = new ArrayList<>(tap.about(LAB_HOST).subList(before, before + 6));

        assertThat(firewalled.stream().filter(event -> event.icmp() == null))
                .as("fping's sends refused with EPERM: no ICMP outcome, a failure of the worker").hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(event -> assertThat(event.tcp()).extracting(TcpProbe::outcome)
                        .containsExactly(ProbeOutcome.TIMED_OUT));
        assertThat(firewalled).as("the host is not declared unreachable").allSatisfy(event -> {
            assertThat(event.routable()).isTrue();
            assertThat(event.changed()).isFalse();
        });
    }

    private static Duration longestGap(List<Instant> times) {
        Duration longest = Duration.ZERO;
        for (int i = 1; i < times.size(); i++) {
            Duration gap = Duration.between(times.get(i - 1), times.get(i));
            longest = gap.compareTo(longest) > 0 ? gap : longest;
        }
        return longest;
    }
}
