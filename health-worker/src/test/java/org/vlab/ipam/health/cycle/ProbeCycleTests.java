package org.vlab.ipam.health.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.probe.IcmpProber;
import org.vlab.ipam.health.probe.ProbeRunner;
import org.vlab.ipam.health.probe.TcpProber;
import org.vlab.ipam.health.publish.BrokerLink;
import org.vlab.ipam.health.publish.EventOutbox;
import org.vlab.ipam.health.targets.TargetBook;
import org.vlab.ipam.health.verdict.Verdicts;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * Cycles over one recorded address with the probers and the broker played by the test: what a
 * probe that broke inside the worker does to the verdict (nothing), and that neither a broker
 * that never confirms nor one that confirms late holds up a cycle or restamps its events.
 */
class ProbeCycleTests {

    private static final GatewayId GATEWAY = GatewayId.of("alice");
    private static final String HOST = "192.168.1.20";

    /** What the host does, or what this worker's own machine does to the probes. */
    enum Network { ANSWERS, SILENT, NO_FILE_DESCRIPTORS }

    private volatile Network network = Network.ANSWERS;
    private volatile CompletableFuture<Void> broker = CompletableFuture.completedFuture(null);
    /** Events confirmed, in the order the test's broker ran its confirms (not the order they were sent in). */
    private final List<ReachabilityObserved> published = new CopyOnWriteArrayList<>();
    /** Events as the outbox sent them, in its order. */
    private final List<ReachabilityObserved> sent = new CopyOnWriteArrayList<>();
    private final List<Instant> probesEnded = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProbeRunner runner = new ProbeRunner(this::echo, this::connect, 4);
    private final EventOutbox outbox = new EventOutbox(new MessagePublisher() {
        @Override
        public CompletableFuture<Void> publish(IpamMessage message, MessageMetadata metadata) {
            sent.add((ReachabilityObserved) message);
            return broker.thenRun(() -> published.add((ReachabilityObserved) message));
        }

        @Override
        public CompletableFuture<Void> reply(SnapshotTaken snapshot, String replyTo, String correlationId) {
            throw new UnsupportedOperationException();
        }
    }, new BrokerLink(), 1000, Duration.ofMillis(100), Duration.ofMillis(100), registry);
    private final TargetBook book = new TargetBook(() -> new SnapshotTaken(GATEWAY, 1, List.of(new MappingSnapshot(
            ConnPort.of(50001), new PortMapTarget(LabAddress.of(HOST), TargetPort.of(22), MachineName.of("m1"),
                    Component.of("Linux")), 1, MappingState.APPLIED)), Instant.now()), () -> null,
            Duration.ofSeconds(5));
    private final ProbeCycle cycle = new ProbeCycle(GATEWAY, book, runner, new Verdicts(2), outbox,
            new HealthMetrics(registry), Clock.systemUTC());

    @AfterEach
    void stop() {
        outbox.stop();
        runner.close();
    }

    private IcmpProbe echo(org.vlab.ipam.domain.Ipv4Address address) {
        return switch (network) {
            case ANSWERS -> new IcmpProbe(ProbeOutcome.ANSWERED, 3, 3, 0.2);
            case SILENT -> new IcmpProbe(ProbeOutcome.TIMED_OUT, 3, 0, null);
            // as FpingIcmpProber reports an fping that could not start (error=24, EMFILE)
            case NO_FILE_DESCRIPTORS -> throw new IllegalStateException("cannot start fping",
                    new IOException("Cannot run program \"fping\": error=24, Too many open files"));
        };
    }

    private TcpProbe connect(LabAddress address, TargetPort port) {
        probesEnded.add(Instant.now());
        return switch (network) {
            case ANSWERS -> new TcpProbe(port, ProbeOutcome.ANSWERED, 0.4);
            case SILENT -> new TcpProbe(port, ProbeOutcome.TIMED_OUT, null);
            // as NioTcpProber reports a socket it could not open
            case NO_FILE_DESCRIPTORS -> throw new IllegalStateException("cannot open a socket",
                    new IOException("Too many open files"));
        };
    }

    private void cycles(Network state, int count) throws InterruptedException {
        network = state;
        for (int i = 0; i < count; i++) {
            cycle.run();
        }
    }

    private List<ReachabilityObserved> awaitPublished(int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> published.size() >= count);
        return List.copyOf(published);
    }

    @Test
    void probesThatBreakInsideTheWorkerChangeNoVerdictAndBreakNoStreak() throws InterruptedException {
        outbox.start();
        cycles(Network.ANSWERS, 1);
        cycles(Network.SILENT, 1);
        cycles(Network.NO_FILE_DESCRIPTORS, 3);
        cycles(Network.SILENT, 1);

        List<ReachabilityObserved> events = awaitPublished(6);

        assertThat(events).extracting(ReachabilityObserved::routable).containsExactly(true, true, true, true, true,
                false);
        assertThat(events).extracting(ReachabilityObserved::changed).containsExactly(false, false, false, false,
                false, true);
        assertThat(events.subList(2, 5)).allSatisfy(event -> {
            assertThat(event.icmp()).as("the broken probe is not reported as an outcome").isNull();
            assertThat(event.tcp()).isEmpty();
            assertThat(event.lastSeenAlive()).isEqualTo(events.get(0).observedAt());
        });
        assertThat(registry.get("ipam.health.failures").tag("stage", "probe").counter().count()).isEqualTo(6.0);
    }

    @Test
    void anAddressFirstSeenWhileItsProbesBreakGetsNoEventUntilItIsJudged() throws InterruptedException {
        outbox.start();
        cycles(Network.NO_FILE_DESCRIPTORS, 2);
        cycles(Network.SILENT, 1);

        List<ReachabilityObserved> events = awaitPublished(1);

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.routable()).isFalse();
            assertThat(event.changed()).isFalse();
        });
    }

    @Test
    void aBrokerThatDoesNotConfirmHoldsUpNoCycleAndEventsKeepTheirProbeTimes() throws InterruptedException {
        broker = new CompletableFuture<>();
        outbox.start();
        long started = System.nanoTime();

        cycles(Network.ANSWERS, 3);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        Instant released = Instant.now();
        broker.complete(null);
        // the confirms held back run in no particular order once released: the order is the outbox's sending order
        assertThat(awaitPublished(3)).hasSameElementsAs(sent);
        List<ReachabilityObserved> events = sent.subList(0, 3);
        assertThat(events).extracting(ReachabilityObserved::observedAt).isSorted().allSatisfy(observedAt -> assertThat(
                observedAt).isBefore(released));
        for (int i = 0; i < 3; i++) {
            assertThat(Duration.between(probesEnded.get(i), events.get(i).observedAt()))
                    .as("stamped when its probes ended").isBetween(Duration.ZERO, Duration.ofMillis(500));
        }
    }
}
