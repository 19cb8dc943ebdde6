package org.vlab.ipam.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Protocol;

class PortMapTargetWireTests {

    @Test
    void aTcpMappingOpenToAllIsWrittenAsBeforeTheExtensions() {
        String json = IpamJson.mapper().writeValueAsString(MessageSamples.windows());
        assertThat(json).isEqualTo("{\"addr\":\"192.168.1.20\",\"port\":3389,\"name\":\"win01\",\"component\":\"Windows\"}");
    }

    @Test
    void aTargetWithoutTheNewFieldsReadsAsTcpOpenToAll() {
        PortMapTarget target = IpamJson.mapper().readValue(
                "{\"addr\":\"192.168.1.20\",\"port\":3389,\"name\":\"win01\",\"component\":\"Windows\"}", PortMapTarget.class);
        assertThat(target.protocol()).isEqualTo(Protocol.TCP);
        assertThat(target.allowedSources()).isEqualTo(AllowedSources.ANY);
        assertThat(target).isEqualTo(MessageSamples.windows());
    }

    @Test
    void udpAndAllowedSourcesTravelAndComeBackEqual() {
        PortMapTarget udp = MessageSamples.udpFromTwoNetworks();
        String json = IpamJson.mapper().writeValueAsString(udp);
        assertThat(json).contains("\"protocol\":\"udp\"")
                .contains("\"allowed_sources\":[\"203.0.113.0/24\",\"198.51.100.7/32\"]");
        assertThat(IpamJson.mapper().readValue(json, PortMapTarget.class)).isEqualTo(udp);
    }

    @Test
    void refusesAnUnknownProtocolOrABadSource() {
        String base = "{\"addr\":\"192.168.1.20\",\"port\":3389,\"name\":\"win01\",\"component\":\"Windows\",";
        assertThatThrownBy(() -> IpamJson.mapper().readValue(base + "\"protocol\":\"sctp\"}", PortMapTarget.class))
                .hasMessageContaining("protocol must be \"tcp\" or \"udp\"");
        assertThatThrownBy(() -> IpamJson.mapper().readValue(base + "\"allowed_sources\":[\"10.0.0.1/8\"]}",
                PortMapTarget.class)).hasMessageContaining("allowed_sources[0]: 10.0.0.1/8 has host bits set");
    }
}
