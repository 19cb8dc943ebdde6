package org.vlab.ipam.agent.host;

import java.util.List;
import java.util.Set;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/** The gateway's own IPv4 addresses, read when asked, since interfaces and DHCP leases change. */
public interface HostAddresses {

    /** Every IPv4 address on any of the host's interfaces. */
    Set<Ipv4Address> all();

    /**
     * The usable (not link-local) IPv4 addresses of {@code interfaceName}, its primary address
     * first, in the kernel's order; empty when the interface does not exist or has none.
     */
    List<Ipv4Address> on(String interfaceName);

    /** The networks (CIDR) of the usable IPv4 addresses of {@code interfaceName}; empty when it has none. */
    List<LabNetwork> networksOn(String interfaceName);
}
