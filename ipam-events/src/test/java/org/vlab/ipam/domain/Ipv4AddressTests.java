package org.vlab.ipam.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dotted quad, read in one pass: exactly four decimal octets, no leading zeros, nothing else. */
class Ipv4AddressTests {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.20.3.4", "192.168.1.20", "255.255.255.255", "1.10.100.200"})
    void readsADottedQuadBackAsWritten(String text) {
        assertThat(Ipv4Address.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "1..3.4", ".1.2.3", "256.1.1.1", "1.2.3.1000",
            "01.2.3.4", "1.2.3.04", "1.2.3.a", "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ", "١.2.3.4"})
    void refusesAnythingElse(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Ipv4Address.parse(text))
                .withMessageContaining("not a dotted-quad IPv4 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.20.3.4", "192.168.1.20", "255.255.255.255"})
    void readsADottedQuadWithinALine(String text) {
        String line = "SRC=" + text + " DST=1.2.3.4";

        assertThat(Ipv4Address.parse(line, 4, 4 + text.length())).isEqualTo(Ipv4Address.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4 ", "01.2.3.4", "1.2.3.4.5", "fe80::1"})
    void refusesAnythingElseWithinALineAndQuotesOnlyTheRange(String text) {
        String line = "SRC=" + text + " DST=1.2.3.4";

        assertThatIllegalArgumentException().isThrownBy(() -> Ipv4Address.parse(line, 4, 4 + text.length()))
                .withMessageContaining("not a dotted-quad IPv4 address").withMessageNotContaining("DST");
    }
}
