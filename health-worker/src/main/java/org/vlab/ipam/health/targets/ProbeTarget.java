package org.vlab.ipam.health.targets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.SnapshotTaken;

/** One distinct recorded address and the TCP ports mapped to it, in ascending order. */
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
     * about to ({@code pending} or {@code applied}), with its mapped ports; failed mappings and
     * those being removed are not probed.
     */
    public static List<ProbeTarget> of(SnapshotTaken snapshot) {
        Map<LabAddress, List<TargetPort>> ports = new TreeMap<>(BY_ADDRESS);
        for (MappingSnapshot mapping : snapshot.mappings()) {
            if (mapping.state().wantedOnGateway()) {
                ports.computeIfAbsent(mapping.target().addr(), address -> new ArrayList<>())
                        .add(mapping.target().port());
            }
        }
        return ports.entrySet().stream().map(entry -> new ProbeTarget(entry.getKey(), entry.getValue())).toList();
    }
}
