package org.vlab.ipam.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/** How long a read of the host's addresses serves the checks of the commands after it. */
class RecentHostAddressesTests {

    private long now = 1_000_000_000L;
    private int reads;
    private Set<Ipv4Address> addresses = Set.of(Ipv4Address.parse("203.0.113.1"));
    private final HostAddresses kernel = new HostAddresses() {
        @Override
        public Set<Ipv4Address> all() {
            reads++;
            return addresses;
        }

        @Override
        public List<Ipv4Address> on(String interfaceName) {
            reads++;
            return List.copyOf(addresses);
        }

        @Override
        public List<LabNetwork> networksOn(String interfaceName) {
            reads++;
            return List.of(LabNetwork.of(interfaceName.equals("wan") ? "203.0.113.0/24" : "198.51.100.0/24"));
        }
    };
    private final RecentHostAddresses recent = new RecentHostAddresses(kernel, Duration.ofSeconds(1), () -> now);

    @Test
    void aBurstOfChecksWithinTheMaxAgeReadsTheKernelOnce() {
        for (int i = 0; i < 500; i++) {
            recent.all();
            recent.networksOn("wan");
            now += 1_000_000; // 1 ms
        }

        assertThat(reads).isEqualTo(2);
    }

    @Test
    void anAddressThatChangedIsSeenOnceTheReadIsOlderThanTheMaxAge() {
        recent.all();
        addresses = Set.of(Ipv4Address.parse("203.0.113.9"));
        now += Duration.ofMillis(999).toNanos();
        assertThat(recent.all()).containsExactly(Ipv4Address.parse("203.0.113.1"));

        now += Duration.ofMillis(1).toNanos();
        assertThat(recent.all()).containsExactly(Ipv4Address.parse("203.0.113.9"));
    }

    @Test
    void eachInterfaceHasItsOwnReadAndTheHeartbeatsQuestionIsNeverCached() {
        assertThat(recent.networksOn("wan")).containsExactly(LabNetwork.of("203.0.113.0/24"));
        assertThat(recent.networksOn("wan2")).containsExactly(LabNetwork.of("198.51.100.0/24"));
        recent.on("wan");
        recent.on("wan");

        assertThat(reads).isEqualTo(4);
    }
}
