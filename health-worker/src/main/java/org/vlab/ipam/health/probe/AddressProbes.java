package org.vlab.ipam.health.probe;

import java.util.List;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;

/**
 * Everything one cycle learned about one address.
 *
 * @param icmp the echo probe, or null when ICMP is off or the probe failed
 * @param tcp one connect per mapped tcp port that could be probed (udp ports are never connected to)
 * @param failedProbes probes that broke inside the worker (not the target's fault), for the failures metric
 */
public record AddressProbes(LabAddress address, IcmpProbe icmp, List<TcpProbe> tcp, int failedProbes) {

    public AddressProbes {
        tcp = List.copyOf(tcp);
    }

    /** Whether the address answered anything: an echo, a handshake, or a reset (the host is up, the port closed). */
    public boolean answered() {
        return (icmp != null && icmp.received() > 0)
                || tcp.stream().anyMatch(probe -> probe.outcome() == ProbeOutcome.ANSWERED
                        || probe.outcome() == ProbeOutcome.REFUSED);
    }

    /**
     * Whether this cycle tells anything about the host: it answered, or every probe ran. When a
     * probe broke inside the worker (no file descriptor, the local firewall, fping failing) and
     * nothing answered, the silence may be the worker's own, so the verdict must not move; nor
     * when no probe ran at all (an address with only udp mappings while ICMP is off).
     */
    public boolean conclusive() {
        return answered() || (failedProbes == 0 && (icmp != null || !tcp.isEmpty()));
    }
}
