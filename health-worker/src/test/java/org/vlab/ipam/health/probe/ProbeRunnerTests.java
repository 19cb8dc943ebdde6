package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.targets.ProbeTarget;

/**
 * The runner's concurrency, with probers played by the test: a probe of a dead target sleeps
 * for the probe timeout, as a real one waits for an answer that never comes.
 */
class ProbeRunnerTests {

    private static final TargetPort SSH = TargetPort.of(22);
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    /** A TCP prober whose every connect times out, counting how many run at once. */
    static final class DeadNetwork implements TcpProber {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger probes = new AtomicInteger();

        @Override
        public TcpProbe connect(LabAddress address, TargetPort port) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                probes.incrementAndGet();
            }
            return new TcpProbe(port, ProbeOutcome.TIMED_OUT, null);
        }
    }

    private static List<ProbeTarget> targets(int count) {
        List<ProbeTarget> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            targets.add(new ProbeTarget(LabAddress.of("10.20." + (i / 250) + "." + (i % 250 + 1)), List.of(SSH)));
        }
        return targets;
    }

    @Test
    void aThousandDeadTargetsTakeTargetsOverConcurrencyTimeoutsWithConcurrencyBounded() {
        DeadNetwork network = new DeadNetwork();
        int concurrency = 64;
        List<ProbeTarget> targets = targets(1000);
        try (ProbeRunner runner = new ProbeRunner(IcmpProber.OFF, network, concurrency)) {
            long started = System.nanoTime();
            List<AddressProbes> results = targets.stream().map(runner::probe).toList().stream()
                    .map(CompletableFuture::join).toList();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            // ceil(1000 / 64) = 16 rounds of one timeout each: 1.6 s; one after another: 100 s.
            Duration rounds = TIMEOUT.multipliedBy((targets.size() + concurrency - 1) / concurrency);
            Duration sequential = TIMEOUT.multipliedBy(targets.size());
            System.out.printf("1000 dead targets, concurrency %d, timeout %s: %d ms (bound %d ms, sequential %d ms)%n",
                    concurrency, TIMEOUT, took.toMillis(), rounds.toMillis(), sequential.toMillis());
            assertThat(results).hasSize(1000).allSatisfy(result -> assertThat(result.tcp()).singleElement()
                    .extracting(TcpProbe::outcome).isEqualTo(ProbeOutcome.TIMED_OUT));
            assertThat(network.maxInFlight.get()).as("most probes in flight at once").isEqualTo(concurrency);
            assertThat(took).as("bounded concurrency cannot beat %s rounds", rounds).isGreaterThanOrEqualTo(rounds);
            assertThat(took).as("about (targets / concurrency) x timeout, far from %s", sequential)
                    .isLessThan(rounds.multipliedBy(3));
        }
    }

    @Test
    void oneInFlightAtATimeWhenConcurrencyIsOne() {
        DeadNetwork network = new DeadNetwork();
        try (ProbeRunner runner = new ProbeRunner(IcmpProber.OFF, network, 1)) {
            targets(10).stream().map(runner::probe).toList().forEach(CompletableFuture::join);
        }
        assertThat(network.maxInFlight.get()).isEqualTo(1);
        assertThat(network.probes.get()).isEqualTo(10);
    }

    @Test
    void aSlowTargetNeverStallsTheOthers() throws Exception {
        LabAddress slow = LabAddress.of("10.30.0.1");
        CompletableFuture<Void> release = new CompletableFuture<>();
        TcpProber network = (address, port) -> {
            if (address.equals(slow)) {
                release.join(); // as long as the test likes: longer than every other probe together
                return new TcpProbe(port, ProbeOutcome.TIMED_OUT, null);
            }
            return new TcpProbe(port, ProbeOutcome.ANSWERED, 0.1);
        };
        try (ProbeRunner runner = new ProbeRunner(IcmpProber.OFF, network, 4)) {
            CompletableFuture<AddressProbes> slowResult = runner.probe(new ProbeTarget(slow, List.of(SSH, TargetPort.of(80))));
            List<CompletableFuture<AddressProbes>> others = targets(200).stream().map(runner::probe).toList();

            await().atMost(Duration.ofSeconds(10)).until(() -> others.stream().allMatch(CompletableFuture::isDone));
            assertThat(slowResult).isNotDone();
            assertThat(others).allSatisfy(other -> assertThat(other.join().answered()).isTrue());
            release.complete(null);
            assertThat(slowResult.get().tcp()).hasSize(2);
        }
    }

    @Test
    void sendsOneEchoAndOneConnectPerMappedPortOfEachAddress() {
        List<String> probes = new java.util.concurrent.CopyOnWriteArrayList<>();
        IcmpProber icmp = address -> {
            probes.add("icmp " + address);
            return new IcmpProbe(ProbeOutcome.ANSWERED, 3, 3, 0.2);
        };
        TcpProber tcp = (address, port) -> {
            probes.add("tcp " + address + ":" + port);
            return new TcpProbe(port, ProbeOutcome.REFUSED, 0.3);
        };
        try (ProbeRunner runner = new ProbeRunner(icmp, tcp, 8)) {
            AddressProbes result = runner.probe(new ProbeTarget(LabAddress.of("10.0.0.9"),
                    List.of(TargetPort.of(443), SSH))).join();

            assertThat(probes).containsExactlyInAnyOrder("icmp 10.0.0.9", "tcp 10.0.0.9:22", "tcp 10.0.0.9:443");
            assertThat(result.icmp().outcome()).isEqualTo(ProbeOutcome.ANSWERED);
            assertThat(result.tcp()).extracting(TcpProbe::port).containsExactly(SSH, TargetPort.of(443));
            assertThat(result.answered()).isTrue();
        }
    }

    @Test
    void aProbeThatBreaksIsCountedAndTheOthersStillReport() {
        IcmpProber broken = address -> {
            throw new IllegalStateException("fping exited 3: something odd");
        };
        TcpProber tcp = (address, port) -> new TcpProbe(port, ProbeOutcome.TIMED_OUT, null);
        try (ProbeRunner runner = new ProbeRunner(broken, tcp, 2)) {
            AddressProbes result = runner.probe(new ProbeTarget(LabAddress.of("10.0.0.9"), List.of(SSH))).join();

            assertThat(result.icmp()).isNull();
            assertThat(result.tcp()).singleElement().extracting(TcpProbe::outcome).isEqualTo(ProbeOutcome.TIMED_OUT);
            assertThat(result.failedProbes()).isEqualTo(1);
            assertThat(result.answered()).isFalse();
            assertThat(runner.lastFailure()).contains("ICMP probe of 10.0.0.9 failed: fping exited 3");
        }
    }

    @Test
    void withIcmpOffOnlyConnectsAreSent() {
        AtomicInteger connects = new AtomicInteger();
        TcpProber tcp = (address, port) -> {
            connects.incrementAndGet();
            return new TcpProbe(port, ProbeOutcome.ANSWERED, 1.0);
        };
        try (ProbeRunner runner = new ProbeRunner(IcmpProber.OFF, tcp, 2)) {
            AddressProbes result = runner.probe(new ProbeTarget(LabAddress.of("10.0.0.9"), List.of(SSH))).join();

            assertThat(runner.icmpEnabled()).isFalse();
            assertThat(result.icmp()).isNull();
            assertThat(result.failedProbes()).isZero();
            assertThat(connects).hasValue(1);
        }
    }

    @Test
    void echoesGoOutOneRunPerChunkAndAFailedRunFailsTheEchoesOfItsChunkOnly() {
        List<List<org.vlab.ipam.domain.Ipv4Address>> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        IcmpProber icmp = new IcmpProber() {
            @Override
            public IcmpProbe echo(org.vlab.ipam.domain.Ipv4Address address) {
                throw new AssertionError("echoes go out in chunks");
            }

            @Override
            public java.util.Map<org.vlab.ipam.domain.Ipv4Address, EchoResult> echoAll(
                    List<org.vlab.ipam.domain.Ipv4Address> addresses) {
                runs.add(addresses);
                if (addresses.contains(org.vlab.ipam.domain.Ipv4Address.parse("10.20.0.9"))) {
                    throw IcmpUnavailableException.notPermitted("fping", 4, "");
                }
                java.util.Map<org.vlab.ipam.domain.Ipv4Address, EchoResult> results = new java.util.LinkedHashMap<>();
                addresses.forEach(address -> results.put(address,
                        EchoResult.of(new IcmpProbe(ProbeOutcome.TIMED_OUT, 1, 0, null))));
                return results;
            }
        };
        try (ProbeRunner runner = new ProbeRunner(icmp, new DeadNetwork(), 2, 4)) {
            List<AddressProbes> results = runner.probeAll(targets(10)).stream().map(CompletableFuture::join).toList();

            assertThat(runs).extracting(List::size).containsExactlyInAnyOrder(4, 4, 2);
            assertThat(results.subList(0, 8)).allSatisfy(result -> {
                assertThat(result.icmp().outcome()).isEqualTo(ProbeOutcome.TIMED_OUT);
                assertThat(result.failedProbes()).isZero();
            });
            assertThat(results.subList(8, 10)).allSatisfy(result -> {
                assertThat(result.icmp()).isNull();
                assertThat(result.failedProbes()).isEqualTo(1);
                assertThat(result.conclusive()).isFalse();
            });
            assertThat(runner.lastFailure()).contains("raw ICMP socket");
        }
    }

    @Test
    void aMissingFpingFailsEveryEchoOfTheCycleAsAProbeFailure() {
        FpingIcmpProber missing = new FpingIcmpProber("/nonexistent/fping", new OsProcessRunner(), 1, TIMEOUT);
        try (ProbeRunner runner = new ProbeRunner(missing, new DeadNetwork(), 4, 3)) {
            List<AddressProbes> results = runner.probeAll(targets(5)).stream().map(CompletableFuture::join).toList();

            assertThat(results).allSatisfy(result -> {
                assertThat(result.icmp()).isNull();
                assertThat(result.tcp()).extracting(TcpProbe::outcome).containsExactly(ProbeOutcome.TIMED_OUT);
                assertThat(result.failedProbes()).isEqualTo(1);
            });
            assertThat(runner.lastFailure()).contains("ICMP probe of", "No such file or directory");
        }
    }
}
