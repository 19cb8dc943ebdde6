package org.vlab.ipam.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AllowedSourcesTests {

    @Test
    void absentMeansEverySource() {
        assertThat(AllowedSources.of(null)).isEqualTo(AllowedSources.ANY);
        assertThat(AllowedSources.ANY.allows(Ipv4Address.parse("8.8.8.8"))).isTrue();
        assertThat(AllowedSources.ANY.isAny()).isTrue();
    }

    @Test
    void allowsOnlyAddressesInsideItsNetworks() {
        AllowedSources sources = AllowedSources.of(List.of("203.0.113.0/24", "198.51.100.7/32"));
        assertThat(sources.allows(Ipv4Address.parse("203.0.113.200"))).isTrue();
        assertThat(sources.allows(Ipv4Address.parse("198.51.100.7"))).isTrue();
        assertThat(sources.allows(Ipv4Address.parse("198.51.100.8"))).isFalse();
        assertThat(sources.cidrs()).containsExactly("203.0.113.0/24", "198.51.100.7/32");
    }

    @Test
    void refusesMoreThanSixteenNetworks() {
        List<String> seventeen = IntStream.range(0, 17).mapToObj(i -> "10.0." + i + ".0/24").toList();
        assertThat(AllowedSources.of(seventeen.subList(0, 16)).networks()).hasSize(16);
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedSources.of(seventeen))
                .withMessage("allowed_sources takes at most 16 networks; got 17");
    }

    @Test
    void namesTheBadEntryAndWhatIsWrongWithIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedSources.of(List.of("10.0.0.0/8", "10.1.2.3/24")))
                .withMessageStartingWith("allowed_sources[1]: 10.1.2.3/24 has host bits set; did you mean 10.1.2.0/24?");
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedSources.of(List.of("10.0.0.1")))
                .withMessageStartingWith("allowed_sources[0]: not a CIDR network");
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedSources.of(List.of("10.0.0.0/8", "0.0.0.0/0")))
                .withMessage("allowed_sources[1]: 0.0.0.0/0 would allow every source; leave allowed_sources out for that");
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedSources.of(List.of("010.0.0.0/8")))
                .withMessageStartingWith("allowed_sources[0]:");
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedSources.of(Arrays.asList("10.0.0.0/8", null)))
                .withMessageStartingWith("allowed_sources[1]:");
    }

    @Test
    void refusesTheSameNetworkTwice() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AllowedSources.of(List.of("10.0.0.0/8", "10.0.0.0/8")))
                .withMessageContaining("names a network twice");
    }

    @Test
    void keepsNoReferenceToTheCallersList() {
        List<LabNetwork> mutable = new ArrayList<>(List.of(LabNetwork.of("10.0.0.0/8")));
        AllowedSources sources = new AllowedSources(mutable);
        mutable.add(LabNetwork.of("11.0.0.0/8"));
        assertThat(sources.networks()).hasSize(1);
    }

    @Test
    void protocolIsTcpUnlessUdpIsNamed() {
        assertThat(Protocol.of(null)).isEqualTo(Protocol.TCP);
        assertThat(Protocol.of("udp")).isEqualTo(Protocol.UDP);
        assertThatIllegalArgumentException().isThrownBy(() -> Protocol.of("UDP"))
                .withMessage("protocol must be \"tcp\" or \"udp\"; got 'UDP'");
        assertThatIllegalArgumentException().isThrownBy(() -> Protocol.of("icmp"));
    }
}
