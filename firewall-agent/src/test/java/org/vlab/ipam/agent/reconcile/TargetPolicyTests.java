package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.policy;
import static org.vlab.ipam.agent.reconcile.Commands.target;

import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.events.PortMapRequested.Action;

/** The agent's own checks: what a compromised producer could ask for is refused with a reason. */
class TargetPolicyTests {

    @Test
    void acceptsALabAddressOnAPortOfTheRange() {
        assertThat(POLICY.refusal(Action.CREATE, ConnPort.of(50000), target("192.168.1.10", 22))).isEmpty();
        assertThat(POLICY.refusal(Action.CREATE, ConnPort.of(50100), target("192.168.1.254", 3389))).isEmpty();
    }

    @Test
    void refusesTargetOutsideLab() {
        assertThat(POLICY.refusal(Action.CREATE, ConnPort.of(50001), target("10.0.0.5", 22)))
                .contains("target_addr 10.0.0.5 is outside this gateway's lab networks [192.168.1.0/24]");
    }

    @Test
    void refusesTheGatewaysOwnAddresses() {
        assertThat(POLICY.refusal(Action.CREATE, ConnPort.of(50001), target("192.168.1.1", 22)))
                .contains("target_addr 192.168.1.1 is an address of the gateway itself");
    }

    @Test
    void refusesTheNetworkAndBroadcastAddressOfALab() {
        assertThat(POLICY.refusal(Action.CREATE, ConnPort.of(50001), target("192.168.1.0", 22)))
                .contains("target_addr 192.168.1.0 is the network address of 192.168.1.0/24");
        assertThat(POLICY.refusal(Action.CREATE, ConnPort.of(50001), target("192.168.1.255", 22)))
                .contains("target_addr 192.168.1.255 is the broadcast address of 192.168.1.0/24");
    }

    @Test
    void refusesCreatesOnConnectionPortsOutsideTheRange() {
        assertThat(POLICY.refusal(Action.CREATE, ConnPort.of(22), target("192.168.1.10", 22)))
                .contains("conn_port 22 is outside this gateway's connection port range 50000-50100");
        assertThat(POLICY.refusal(Action.CREATE, ConnPort.of(50101), target("192.168.1.10", 22))).isPresent();
    }

    @Test
    void acceptsRemovesWhateverTheirPortBecauseTheyCanOnlyClose() {
        assertThat(POLICY.refusal(Action.REMOVE, ConnPort.of(50001), null)).isEmpty();
        assertThat(POLICY.refusal(Action.REMOVE, ConnPort.of(50101), null)).isEmpty();
        assertThat(POLICY.refusal(Action.REMOVE, ConnPort.of(22), null)).isEmpty();
    }

    @Test
    void refusesTheBroadcastAndNetworkAddressOfAnInnerSlash24InsideASlash16() {
        TargetPolicy nested = policy(LabNetwork.of("10.20.0.0/16"), LabNetwork.of("10.20.5.0/24"));

        assertThat(nested.refusal(Action.CREATE, ConnPort.of(50001), target("10.20.5.255", 22)))
                .contains("target_addr 10.20.5.255 is the broadcast address of 10.20.5.0/24");
        assertThat(nested.refusal(Action.CREATE, ConnPort.of(50001), target("10.20.5.0", 22)))
                .contains("target_addr 10.20.5.0 is the network address of 10.20.5.0/24");
        assertThat(nested.refusal(Action.CREATE, ConnPort.of(50001), target("10.20.255.255", 22)))
                .contains("target_addr 10.20.255.255 is the broadcast address of 10.20.0.0/16");
        assertThat(nested.refusal(Action.CREATE, ConnPort.of(50001), target("10.20.5.10", 22))).isEmpty();
        assertThat(nested.refusal(Action.CREATE, ConnPort.of(50001), target("10.20.6.255", 22))).isEmpty();
    }

    @Test
    void refusesTargetsInsideTheWanInterfacesNetwork() {
        // the lab list overlaps the WAN network: the start-up check stops that, this catches a WAN address that moved later
        TargetPolicy overlapping = policy(LabNetwork.of("203.0.113.0/24"));

        assertThat(overlapping.refusal(Action.CREATE, ConnPort.of(50001), target("203.0.113.7", 22)))
                .contains("target_addr 203.0.113.7 is inside the network 203.0.113.0/24 of the WAN interface eth0");
    }
}
