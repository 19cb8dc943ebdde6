package org.vlab.ipam.health.targets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.SnapshotTaken;

/**
 * One distinct recorded address and the TCP ports mapped to it, in ascending order: the ports
 * to connect to. A udp mapping brings its address (probed by ICMP echo) but no port: a UDP
 * port cannot be probed reliably (silence is what an open port and a dropping firewall both
 * answer), and a TCP connect to it would probe a service nobody mapped. An address with only
 * udp mappings has no ports and is probed by echo alone.
 */
public record ProbeTarget(LabAddress address, List<TargetPort> ports) {

    private static final Comparator<LabAddress> BY_ADDRESS =
            Comparator.comparingLong(address -> Integer.toUnsignedLong(address.address().bits()));

    public ProbeTarget {
        if (address == null || ports == null) {
            throw new IllegalArgumentException("a probe target needs an address and a list of ports");
        }
        TreeSet<TargetPort> distinct = new TreeSet<>(Comparator.comparingInt(TargetPort::value));
        distinct.addAll(List.copyOf(ports));
        ports = List.copyOf(distinct);
    }

    /**
     * Every distinct address of the snapshot's mappings that the gateway forwards to or is
     * about to ({@code pending} or {@code applied}), with the ports of its tcp mappings; failed
     * mappings and those being removed are not probed.
     */
    public static List<ProbeTarget> of(SnapshotTaken snapshot) {
        Map<LabAddress, List<TargetPort>> ports = new TreeMap<>(BY_ADDRESS);
        for (MappingSnapshot mapping : snapshot.mappings()) {
            if (mapping.state().wantedOnGateway()) {
                List<TargetPort> ofAddress = ports.computeIfAbsent(mapping.target().addr(), address -> new ArrayList<>());
                if (mapping.target().protocol() == Protocol.TCP) {
                    ofAddress.add(mapping.target().port());
                }
            }
        }
        return ports.entrySet().stream().map(entry -> new ProbeTarget(entry.getKey(), entry.getValue())).toList();
    }

    /**
     * Whether a cycle can learn anything about this address: with ICMP on, always; without it
     * (no NET_RAW), only through a TCP port, so an address with only udp mappings cannot be
     * probed at all.
     */
    public boolean probeable(boolean icmpEnabled) {
        return icmpEnabled || !ports.isEmpty();
    }
}
