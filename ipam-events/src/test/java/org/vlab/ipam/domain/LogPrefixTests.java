package org.vlab.ipam.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogPrefixTests {

    @Test
    void readsBackTheConnectionPortOfAMappingsPrefix() {
        String prefix = LogPrefix.forMapping(ConnPort.of(50013));

        assertThat(prefix).isEqualTo("VLABFWD:50013").hasSizeLessThanOrEqualTo(28);
        assertThat(LogPrefix.connPort(prefix)).contains(ConnPort.of(50013));
        assertThat(LogPrefix.connPort(prefix + " ")).contains(ConnPort.of(50013));
    }

    @Test
    void findsNoConnectionPortInOtherPrefixes() {
        assertThat(LogPrefix.connPort("VLABFWD")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD:")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD:0")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD:65536")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD:5001x")).isEmpty();
        assertThat(LogPrefix.connPort("DROP:50013")).isEmpty();
        assertThat(LogPrefix.connPort(null)).isEmpty();
    }

    @Test
    void readsOnlyOneToFiveAsciiDigitsAfterTheTag() {
        assertThat(LogPrefix.connPort("VLABFWD:00080")).contains(ConnPort.of(80));
        assertThat(LogPrefix.connPort("  VLABFWD:443\t")).contains(ConnPort.of(443));
        assertThat(LogPrefix.connPort("VLABFWD:050013")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD:99999")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD:\uff15\uff10\uff10\uff11\uff13")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD:-1")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD: 5001")).isEmpty();
        assertThat(LogPrefix.connPort("VLABFWD:5001 x")).isEmpty();
        assertThat(LogPrefix.connPort("vlabfwd:5001")).isEmpty();
        assertThat(LogPrefix.connPort("XVLABFWD:5001")).isEmpty();
    }
}
