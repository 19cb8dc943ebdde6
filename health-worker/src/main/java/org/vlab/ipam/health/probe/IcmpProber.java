package org.vlab.ipam.health.probe;

import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.IcmpProbe;

/** Sends ICMP echoes to one address and reports what came back; blocks for at most its deadline. */
public interface IcmpProber {

    /** The prober of a worker that may not send ICMP: it is never called. */
    IcmpProber OFF = address -> {
        throw new IllegalStateException("ICMP probes are off");
    };

    IcmpProbe echo(Ipv4Address address);
}
