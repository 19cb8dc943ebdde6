package org.vlab.ipam.agent.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.agent.rules.InterfaceName;
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

/**
 * Commands, snapshots and a policy for gateway "alice" (lab 192.168.1.0/24, ports 50000-50100,
 * own addresses 192.168.1.1 and 203.0.113.1, WAN network 203.0.113.0/24).
 */
final class Commands {

    static final GatewayId GATEWAY = GatewayId.of("alice");
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final FixedAddresses HOST = new FixedAddresses(Set.of(Ipv4Address.parse("192.168.1.1"),
            Ipv4Address.parse("203.0.113.1")), LabNetwork.of("203.0.113.0/24"));
    static final TargetPolicy POLICY = policy(LabNetwork.of("192.168.1.0/24"));

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

    /** The policy of gateway "alice" (WAN eth0 in 203.0.113.0/24, ports 50000-50100) for these lab networks. */
    static TargetPolicy policy(LabNetwork... labNetworks) {
        return new TargetPolicy(List.of(labNetworks), new PortRange(50000, 50100), InterfaceName.of("eth0"), HOST);
    }

    /** A host with these addresses, whose WAN interface is in {@code wanNetwork}. */
    record FixedAddresses(Set<Ipv4Address> all, LabNetwork wanNetwork) implements HostAddresses {

        @Override
        public List<Ipv4Address> on(String interfaceName) {
            return all.stream().sorted(java.util.Comparator.comparingInt(Ipv4Address::bits)).toList();
        }

        @Override
        public List<LabNetwork> networksOn(String interfaceName) {
            return List.of(wanNetwork);
        }
    }
}
