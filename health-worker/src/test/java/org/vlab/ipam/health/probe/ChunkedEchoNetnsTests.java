package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.health.targets.ProbeTarget;
import org.vlab.ipam.health.testing.LabUplink;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.NetworkLab;

/**
 * Real fping runs over chunks that mix live and dead addresses: the lab is a namespace routed
 * from the root namespace, holding the live addresses on its loopback and dropping the rest
 * silently (it does not forward).
 */
@NetnsTest
class ChunkedEchoNetnsTests {

    private static final Duration TIMEOUT = Duration.ofMillis(200);

    @Test
    void eachAddressOfAMixedChunkGetsItsOwnOutcomeFromOneRunPerChunk() {
        String net = "10." + ThreadLocalRandom.current().nextInt(200, 250);
        List<ProbeTarget> targets = new ArrayList<>();
        List<LabAddress> live = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            LabAddress address = LabAddress.of(net + ".0." + i);
            targets.add(new ProbeTarget(address, List.of()));
            if (i % 2 == 1) {
                live.add(address);
            }
        }
        List<List<String>> runs = new ArrayList<>();
        ProcessRunner counted = (command, deadline) -> {
            synchronized (runs) {
                runs.add(command);
            }
            return new OsProcessRunner().run(command, deadline);
        };
        try (NetworkLab lab = new NetworkLab()) {
            String labNamespace = lab.namespace("lab");
            for (LabAddress address : live) {
                lab.exec(labNamespace, "ip", "addr", "add", address + "/32", "dev", "lo");
            }
            lab.exec(labNamespace, "ip", "link", "set", "lo", "up");
            try (LabUplink uplink = LabUplink.open(labNamespace, net + ".255.1/30", net + ".255.2/30", net + ".0.0/24");
                    ProbeRunner runner = new ProbeRunner(new FpingIcmpProber("fping", counted, 2, TIMEOUT),
                            (address, port) -> {
                                throw new AssertionError("no port is mapped");
                            }, 4, 4)) {
                List<AddressProbes> results = runner.probeAll(targets).stream().map(CompletableFuture::join).toList();

                assertThat(runs).as("10 addresses in chunks of 4").hasSize(3);
                assertThat(results).extracting(AddressProbes::address).containsExactlyElementsOf(
                        targets.stream().map(ProbeTarget::address).toList());
                assertThat(results).allSatisfy(result -> {
                    assertThat(result.failedProbes()).isZero();
                    assertThat(result.icmp().outcome()).isEqualTo(live.contains(result.address())
                            ? ProbeOutcome.ANSWERED : ProbeOutcome.TIMED_OUT);
                    assertThat(result.icmp().sent()).isEqualTo(2);
                });
            }
        }
    }
}
