package org.vlab.ipam.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabAddressTests {

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.20", "10.0.0.1", "172.16.5.4", "1.2.3.4", "223.255.255.254"})
    void acceptsUsableUnicastAddresses(String text) {
        assertThat(LabAddress.of(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, loopback",
        "224.0.0.5, multicast",
        "239.255.255.250, multicast",
        "255.255.255.255, broadcast",
        "240.0.0.1, reserved",
        "0.0.0.0, unspecified",
        "0.1.2.3, unspecified",
        "169.254.10.1, link-local"})
    void refusesAddressesNoLabMachineCanHave(String text, String why) {
        assertThatIllegalArgumentException().isThrownBy(() -> LabAddress.of(text)).withMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1", "192.168.1.1.1", "192.168.1.256", "192.168.01.2", "1.2.3.-4", " 1.2.3.4",
        "1.2.3.4 ", "a.b.c.d", "", "1..2.3", "0x7f.0.0.1", "١.٢.٣.٤"})
    void refusesAnythingButAStrictDottedQuad(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> LabAddress.of(text))
                .withMessageContaining("not a dotted-quad IPv4 address");
    }

    @ParameterizedTest
    @CsvSource({
        "192.168.1.0/24, 192.168.1.20, true",
        "192.168.1.0/24, 192.168.2.20, false",
        "10.0.0.0/8, 10.255.0.1, true",
        "192.168.1.16/28, 192.168.1.31, true",
        "192.168.1.16/28, 192.168.1.32, false",
        "192.168.1.20/32, 192.168.1.20, true"})
    void knowsWhetherANetworkHoldsAnAddress(String network, String address, boolean inside) {
        assertThat(LabNetwork.of(network).contains(LabAddress.of(address))).isEqualTo(inside);
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.5/24", "192.168.1.0", "192.168.1.0/33", "192.168.1.0/0", "192.168.1.0/x",
        "192.168.1.0/", "/24"})
    void refusesMalformedNetworks(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> LabNetwork.of(text));
    }

    @org.junit.jupiter.api.Test
    void suggestsTheNetworkWhenHostBitsAreSet() {
        assertThatIllegalArgumentException().isThrownBy(() -> LabNetwork.of("192.168.1.5/24"))
                .withMessageContaining("did you mean 192.168.1.0/24?");
    }
}
