package org.vlab.ipam.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainValueTests {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "bob-2", "Team_7", "a"})
    void acceptsUsernamesAsGatewayIds(String id) {
        assertThat(GatewayId.of(id).value()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice.bob", "a*", "a#", "{alice}", "alice bob", "-alice", "_x", "al\nice", "al'ice"})
    void refusesGatewayIdsThatWouldBreakRoutingKeysOrHashTags(String id) {
        assertThatIllegalArgumentException().isThrownBy(() -> GatewayId.of(id)).withMessageContaining("gateway id");
    }

    @Test
    void refusesGatewayIdsLongerThan64Characters() {
        assertThat(GatewayId.of("a".repeat(64)).value()).hasSize(64);
        assertThatIllegalArgumentException().isThrownBy(() -> GatewayId.of("a".repeat(65)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void refusesPortsOutsideTcpRange(int port) {
        assertThatIllegalArgumentException().isThrownBy(() -> ConnPort.of(port)).withMessageContaining("conn_port");
        assertThatIllegalArgumentException().isThrownBy(() -> TargetPort.of(port)).withMessageContaining("target_port");
    }

    @Test
    void portRangeIsInclusive() {
        PortRange range = new PortRange(50000, 50100);
        assertThat(range.size()).isEqualTo(101);
        assertThat(range.contains(ConnPort.of(50000))).isTrue();
        assertThat(range.contains(ConnPort.of(50100))).isTrue();
        assertThat(range.contains(ConnPort.of(50101))).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new PortRange(50100, 50000));
    }

    @Test
    void refusesEmptyOverlongOrControlCharacterNames() {
        assertThat(MachineName.of("win01 (domain controller) ü").value()).startsWith("win01");
        assertThat(MachineName.of("x".repeat(128)).value()).hasSize(128);
        assertThatIllegalArgumentException().isThrownBy(() -> MachineName.of("")).withMessage("target_name must not be empty");
        assertThatIllegalArgumentException().isThrownBy(() -> MachineName.of("x".repeat(129)))
                .withMessageContaining("at most 128");
        assertThatIllegalArgumentException().isThrownBy(() -> Component.of("Win\u0000dows"))
                .withMessageContaining("target_component must not hold control characters")
                .withMessageContaining("\\u0000");
        assertThatIllegalArgumentException().isThrownBy(() -> Component.of("a\u2028b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"win\u200b01", "\u202eexe.txt", "\ufeffwin01", "win\u00ad01", "a\u2060b", "x\ud800", "\udc00x",
            "a\udc00\ud800b"})
    void refusesLoneSurrogatesAndFormatCharactersInNames(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> MachineName.of(name))
                .withMessageStartingWith("target_name must not hold lone surrogates or format characters (Unicode Cs, Cf); got '")
                .withMessageContaining("\\u");
        assertThatIllegalArgumentException().isThrownBy(() -> Component.of(name))
                .withMessageStartingWith("target_component must not hold lone surrogates or format characters");
    }

    @Test
    void acceptsCharactersOutsideTheBasicPlaneWrittenAsSurrogatePairs() {
        assertThat(MachineName.of("db \ud83d\udc18 \u6570\u636e").value()).isEqualTo("db \ud83d\udc18 \u6570\u636e");
        assertThat(Component.of("\ud835\udd4e\ud835\udd5a\ud835\udd5f").value()).hasSize(6);
    }
}
