package org.vlab.ipam.health.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.Protocol;
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
import org.vlab.ipam.health.publish.BrokerLink;
import org.vlab.ipam.health.publish.EventOutbox;
import org.vlab.ipam.health.targets.TargetBook;
import org.vlab.ipam.health.verdict.Verdicts;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * Cycles over a gateway with udp mappings, probers and broker played by the test: a udp
 * mapping is probed by echo only (never a connect to its port), its address is routable when
 * the echo is answered, and a worker without ICMP, which can learn nothing about an address
 * with only udp mappings, publishes nothing about it rather than calling it unroutable.
 */
class UdpTargetCycleTests {

    private static final GatewayId GATEWAY = GatewayId.of("alice");
    private static final String UDP_ONLY = "192.168.1.53";
    private static final String MIXED = "192.168.1.60";

    private volatile boolean echoAnswered = true;
    private final List<String> connects = new CopyOnWriteArrayList<>();
    private final List<ReachabilityObserved> published = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventOutbox outbox = new EventOutbox(new MessagePublisher() {
        @Override
        public CompletableFuture<Void> publish(IpamMessage message, MessageMetadata metadata) {
            published.add((ReachabilityObserved) message);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> reply(SnapshotTaken snapshot, String replyTo, String correlationId) {
            throw new UnsupportedOperationException();
        }
    }, new BrokerLink(), 1000, Duration.ofMillis(100), Duration.ofMillis(100), registry);
    private final TargetBook book = new TargetBook(() -> new SnapshotTaken(GATEWAY, 1, List.of(
            mapping(50001, UDP_ONLY, 53, Protocol.UDP),
            mapping(50002, UDP_ONLY, 5353, Protocol.UDP),
            mapping(50003, MIXED, 22, Protocol.TCP),
            mapping(50004, MIXED, 53, Protocol.UDP)), Instant.now()), () -> null,
            Duration.ofSeconds(5));
    private ProbeRunner runner;
    private ProbeCycle cycle;

    private static MappingSnapshot mapping(int connPort, String address, int port, Protocol protocol) {
        return new MappingSnapshot(ConnPort.of(connPort), new PortMapTarget(LabAddress.of(address), TargetPort.of(port),
                MachineName.of("m" + connPort), Component.of("Linux"), protocol, AllowedSources.ANY), 1,
                MappingState.APPLIED);
    }

    private IcmpProbe echo(Ipv4Address address) {
        return echoAnswered ? new IcmpProbe(ProbeOutcome.ANSWERED, 3, 3, 0.2)
                : new IcmpProbe(ProbeOutcome.TIMED_OUT, 3, 0, null);
    }

    private TcpProbe connect(LabAddress address, TargetPort port) {
        connects.add(address + ":" + port);
        return new TcpProbe(port, ProbeOutcome.TIMED_OUT, null);
    }

    private void start(IcmpProber icmp) {
        runner = new ProbeRunner(icmp, this::connect, 4);
        cycle = new ProbeCycle(GATEWAY, book, runner, new Verdicts(1), outbox, new HealthMetrics(registry),
                Clock.systemUTC());
        outbox.start();
    }

    private void cycles(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            cycle.run();
        }
    }

    private List<ReachabilityObserved> about(String address) {
        return published.stream().filter(event -> event.address().toString().equals(address)).toList();
    }

    @AfterEach
    void stop() {
        outbox.stop();
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void aUdpMappingIsProbedByEchoOnlyAndItsAddressIsRoutableWhenTheEchoIsAnswered() throws InterruptedException {
        start(this::echo);
        cycles(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> about(UDP_ONLY).size() >= 2 && about(MIXED).size() >= 2);
        assertThat(connects).as("only the tcp mapping's port is connected to").containsOnly(MIXED + ":22");
        assertThat(about(UDP_ONLY)).allSatisfy(event -> {
            assertThat(event.icmp().outcome()).isEqualTo(ProbeOutcome.ANSWERED);
            assertThat(event.tcp()).isEmpty();
            assertThat(event.routable()).isTrue();
            assertThat(event.lastSeenAlive()).isEqualTo(event.observedAt());
        });
        assertThat(about(MIXED)).allSatisfy(event -> assertThat(event.tcp()).extracting(TcpProbe::port)
                .containsExactly(TargetPort.of(22)));
    }

    @Test
    void aUdpOnlyAddressWhoseEchoIsNotAnsweredIsUnroutable() throws InterruptedException {
        start(this::echo);
        cycles(1);
        echoAnswered = false;
        cycles(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> about(UDP_ONLY).size() >= 2);
        assertThat(about(UDP_ONLY)).extracting(ReachabilityObserved::routable).containsExactly(true, false);
        assertThat(about(UDP_ONLY)).extracting(ReachabilityObserved::changed).containsExactly(false, true);
    }

    @Test
    void withoutIcmpAUdpOnlyAddressGetsNoEventWhileItsTcpNeighbourIsStillProbed() throws InterruptedException {
        start(IcmpProber.OFF);
        cycles(3);

        await().atMost(Duration.ofSeconds(5)).until(() -> about(MIXED).size() >= 3);
        assertThat(about(UDP_ONLY)).as("silence it never listened for is no verdict").isEmpty();
        assertThat(connects).containsOnly(MIXED + ":22").hasSize(3);
        assertThat(about(MIXED)).allSatisfy(event -> assertThat(event.icmp()).isNull());
    }
}
