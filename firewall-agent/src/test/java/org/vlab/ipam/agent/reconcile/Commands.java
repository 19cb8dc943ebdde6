package org.vlab.ipam.agent.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.events.SnapshotTaken;

/** Commands, snapshots and a policy for gateway "alice" (lab 192.168.1.0/24, ports 50000-50100, own address 192.168.1.1). */
final class Commands {

    static final GatewayId GATEWAY = GatewayId.of("alice");
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final TargetPolicy POLICY = new TargetPolicy(List.of(LabNetwork.of("192.168.1.0/24")),
            new PortRange(50000, 50100), new FixedAddresses(Set.of(Ipv4Address.parse("192.168.1.1"),
                    Ipv4Address.parse("203.0.113.1"))));

    private Commands() {
    }

    static PortMapTarget target(String address, int port) {
        return new PortMapTarget(LabAddress.of(address), TargetPort.of(port), MachineName.of("vm"), Component.of("Linux"));
    }

    static PortMapRequested create(int port, long generation, String address) {
        return PortMapRequested.create(GATEWAY, ConnPort.of(port), generation, target(address, 22), NOW);
    }

    static PortMapRequested remove(int port, long generation) {
        return PortMapRequested.remove(GATEWAY, ConnPort.of(port), generation, NOW);
    }

    static MappingSnapshot mapping(int port, long generation, MappingState state, String address) {
        return new MappingSnapshot(ConnPort.of(port), target(address, 22), generation, state);
    }

    static SnapshotTaken snapshot(long generation, MappingSnapshot... mappings) {
        return new SnapshotTaken(GATEWAY, generation, List.of(mappings), NOW);
    }

    record FixedAddresses(Set<Ipv4Address> all) implements HostAddresses {

        @Override
        public List<Ipv4Address> on(String interfaceName) {
            return all.stream().sorted(java.util.Comparator.comparingInt(Ipv4Address::bits)).toList();
        }
    }
}
