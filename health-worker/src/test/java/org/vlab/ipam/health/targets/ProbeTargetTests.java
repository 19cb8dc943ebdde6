package org.vlab.ipam.health.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.events.SnapshotTaken;

class ProbeTargetTests {

    static MappingSnapshot mapping(int connPort, String address, int port, MappingState state) {
        return new MappingSnapshot(ConnPort.of(connPort), new PortMapTarget(LabAddress.of(address), TargetPort.of(port),
                MachineName.of("machine" + connPort), Component.of("Linux")), 1, state);
    }

    static MappingSnapshot udp(int connPort, String address, int port, MappingState state) {
        return new MappingSnapshot(ConnPort.of(connPort), new PortMapTarget(LabAddress.of(address), TargetPort.of(port),
                MachineName.of("machine" + connPort), Component.of("Linux"), Protocol.UDP, AllowedSources.ANY), 1, state);
    }

    static SnapshotTaken snapshot(MappingSnapshot... mappings) {
        return new SnapshotTaken(GatewayId.of("alice"), 7, List.of(mappings), Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void everyDistinctAddressOfPendingOrAppliedMappingsWithItsPorts() {
        List<ProbeTarget> targets = ProbeTarget.of(snapshot(
                mapping(50001, "192.168.1.20", 8080, MappingState.APPLIED),
                mapping(50002, "192.168.1.3", 22, MappingState.PENDING),
                mapping(50003, "192.168.1.20", 22, MappingState.APPLIED),
                mapping(50004, "192.168.1.20", 22, MappingState.PENDING)));

        assertThat(targets).containsExactly(
                new ProbeTarget(LabAddress.of("192.168.1.3"), List.of(TargetPort.of(22))),
                new ProbeTarget(LabAddress.of("192.168.1.20"), List.of(TargetPort.of(22), TargetPort.of(8080))));
    }

    @Test
    void failedAndRemovingMappingsAreNotProbed() {
        List<ProbeTarget> targets = ProbeTarget.of(snapshot(
                mapping(50001, "192.168.1.20", 8080, MappingState.FAILED),
                mapping(50002, "192.168.1.21", 22, MappingState.REMOVING),
                mapping(50003, "192.168.1.22", 22, MappingState.APPLIED),
                mapping(50004, "192.168.1.22", 443, MappingState.REMOVING)));

        assertThat(targets).containsExactly(new ProbeTarget(LabAddress.of("192.168.1.22"), List.of(TargetPort.of(22))));
    }

    @Test
    void anEmptySnapshotHasNothingToProbe() {
        assertThat(ProbeTarget.of(snapshot())).isEmpty();
    }

    @Test
    void addressesAreOrderedNumerically() {
        List<ProbeTarget> targets = ProbeTarget.of(snapshot(
                mapping(50001, "200.1.1.1", 1, MappingState.APPLIED),
                mapping(50002, "10.0.0.2", 1, MappingState.APPLIED)));

        assertThat(targets).extracting(target -> target.address().toString()).containsExactly("10.0.0.2", "200.1.1.1");
    }

    @Test
    void aUdpMappingBringsItsAddressToEchoButNoPortToConnectTo() {
        List<ProbeTarget> targets = ProbeTarget.of(snapshot(
                udp(50001, "192.168.1.53", 53, MappingState.APPLIED),
                udp(50002, "192.168.1.53", 5353, MappingState.PENDING),
                mapping(50003, "192.168.1.60", 22, MappingState.APPLIED),
                udp(50004, "192.168.1.60", 22, MappingState.APPLIED),
                udp(50005, "192.168.1.60", 514, MappingState.APPLIED),
                udp(50006, "192.168.1.70", 53, MappingState.FAILED)));

        assertThat(targets).containsExactly(
                new ProbeTarget(LabAddress.of("192.168.1.53"), List.of()),
                new ProbeTarget(LabAddress.of("192.168.1.60"), List.of(TargetPort.of(22))));
    }

    @Test
    void anAddressWithOnlyUdpMappingsCanBeProbedOnlyWithIcmp() {
        ProbeTarget udpOnly = new ProbeTarget(LabAddress.of("192.168.1.53"), List.of());
        ProbeTarget withTcp = new ProbeTarget(LabAddress.of("192.168.1.60"), List.of(TargetPort.of(22)));

        assertThat(udpOnly.probeable(true)).isTrue();
        assertThat(udpOnly.probeable(false)).isFalse();
        assertThat(withTcp.probeable(false)).isTrue();
    }
}
