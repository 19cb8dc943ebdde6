package org.vlab.ipam.agent.heartbeat;

import org.vlab.ipam.domain.LabNetwork;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.domain.Ipv4Address;

/** The heartbeat's WAN address is the same every time: the primary one, or the configured one while the interface has it. */
@ExtendWith(OutputCaptureExtension.class)
class WanAddressTests {

    private static final Ipv4Address PRIMARY = Ipv4Address.parse("203.0.113.1");
    private static final Ipv4Address ALIAS = Ipv4Address.parse("203.0.113.9");
    private final List<Ipv4Address> onWan = new ArrayList<>(List.of(PRIMARY, ALIAS));
    private final HostAddresses host = new HostAddresses() {
        @Override
        public Set<Ipv4Address> all() {
            return Set.copyOf(onWan);
        }

        @Override
        public List<Ipv4Address> on(String interfaceName) {
            return interfaceName.equals("wan0") ? List.copyOf(onWan) : List.of();
        }

        @Override
        public List<LabNetwork> networksOn(String interfaceName) {
            return List.of();
        }
    };

    @Test
    void withoutAChoiceItIsThePrimaryAddress() {
        WanAddress wan = new WanAddress(host, "wan0", null);

        assertThat(wan.current()).contains(PRIMARY);
        assertThat(wan.current()).contains(PRIMARY);
    }

    @Test
    void theConfiguredAddressIsChosenWhileTheInterfaceHasIt(CapturedOutput output) {
        WanAddress wan = new WanAddress(host, "wan0", ALIAS);
        assertThat(wan.current()).contains(ALIAS);

        onWan.remove(ALIAS);

        assertThat(wan.current()).isEmpty();
        assertThat(output.getOut()).contains("IPAM_WAN_ADDRESS 203.0.113.9 is not an address of wan0");
    }

    @Test
    void aMissingInterfaceHasNoAddress() {
        assertThat(new WanAddress(host, "wan1", null).current()).isEmpty();
    }
}
