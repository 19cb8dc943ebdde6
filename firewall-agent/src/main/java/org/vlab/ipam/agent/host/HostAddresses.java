package org.vlab.ipam.agent.host;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/** The gateway's own IPv4 addresses, read when asked, since interfaces and DHCP leases change. */
public interface HostAddresses {

    /** Every IPv4 address on any of the host's interfaces. */
    Set<Ipv4Address> all();

    /** The first usable IPv4 address of {@code interfaceName}, if it exists and has one. */
    Optional<Ipv4Address> of(String interfaceName);

    /** The networks (CIDR) of the usable IPv4 addresses of {@code interfaceName}; empty when it has none. */
    List<LabNetwork> networksOn(String interfaceName);
}
