package org.vlab.ipam.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabNetworkTests {

    @Test
    void namesTheNetworkAndBroadcastAddressesAsReserved() {
        LabNetwork lab = LabNetwork.of("192.168.1.0/24");

        assertThat(lab.reservedUse(Ipv4Address.of("192.168.1.0"))).contains("the network address of 192.168.1.0/24");
        assertThat(lab.reservedUse(Ipv4Address.of("192.168.1.255"))).contains("the broadcast address of 192.168.1.0/24");
        assertThat(lab.reservedUse(Ipv4Address.of("192.168.1.1"))).isEmpty();
        assertThat(lab.reservedUse(Ipv4Address.of("192.168.1.254"))).isEmpty();
        assertThat(lab.reservedUse(Ipv4Address.of("10.0.0.255"))).as("outside the network").isEmpty();
    }

    @Test
    void pointToPointAndHostNetworksHaveNoReservedAddresses() {
        assertThat(LabNetwork.of("10.0.0.0/31").reservedUse(Ipv4Address.of("10.0.0.0"))).isEmpty();
        assertThat(LabNetwork.of("10.0.0.1/32").reservedUse(Ipv4Address.of("10.0.0.1"))).isEmpty();
        assertThat(LabNetwork.of("10.0.0.0/30").reservedUse(Ipv4Address.of("10.0.0.3"))).isPresent();
    }
}
