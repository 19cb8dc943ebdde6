package org.vlab.ipam.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;

/** A forwarding turned into another protocol's keeps everything else. */
class ForwardedPortTests {

    @Test
    void withAnotherProtocolIsTheSameForwardingForThatProtocol() {
        AllowedSources sources = AllowedSources.of(List.of("203.0.113.0/24", "198.51.100.7/32"));
        ForwardedPort limited = new ForwardedPort(ConnPort.of(50002), LabAddress.of("192.168.1.11"), TargetPort.of(53),
                Protocol.TCP, sources);

        assertThat(limited.withProtocol(Protocol.UDP)).isEqualTo(new ForwardedPort(ConnPort.of(50002),
                LabAddress.of("192.168.1.11"), TargetPort.of(53), Protocol.UDP, sources));
        assertThat(limited.withProtocol(Protocol.TCP)).isEqualTo(limited);
    }
}
