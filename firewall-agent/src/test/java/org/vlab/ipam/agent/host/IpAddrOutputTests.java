package org.vlab.ipam.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.Ipv4Address;

/** Reading {@code ip -o -4 addr show}: primaries first, in the kernel's order; link-local left out. */
class IpAddrOutputTests {

    @Test
    void primaryAddressesComeFirstAndLinkLocalOnesAreLeftOut() {
        String output = """
                2: eth0    inet 169.254.3.4/16 brd 169.254.255.255 scope link eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 203.0.113.9/24 brd 203.0.113.255 scope global secondary eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 203.0.113.1/24 brd 203.0.113.255 scope global eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 198.51.100.7/24 scope global eth0:1\\       valid_lft forever preferred_lft forever
                """;

        assertThat(IpAddrOutput.addresses(output)).containsExactly(Ipv4Address.parse("203.0.113.1"),
                Ipv4Address.parse("198.51.100.7"), Ipv4Address.parse("203.0.113.9"));
    }

    @Test
    void anInterfaceWithoutAddressesHasNone() {
        assertThat(IpAddrOutput.addresses("")).isEmpty();
    }

    @Test
    void theLoopbackInterfaceOfThisHostIsRead() {
        assertThat(new NetworkInterfaces().on("lo")).contains(Ipv4Address.parse("127.0.0.1"));
        assertThat(new NetworkInterfaces().on("no-such-if0")).isEmpty();
    }
}
