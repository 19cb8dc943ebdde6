package org.vlab.ipam.agent.heartbeat;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.domain.Ipv4Address;

/**
 * The address heartbeats report as the gateway's public one, the same every time while the
 * interface keeps its addresses: the WAN interface's primary address, or the configured
 * {@code IPAM_WAN_ADDRESS} while the interface holds it. Nothing while the interface has no
 * usable address (or not the configured one), so clients are never sent to a wrong address.
 */
final class WanAddress {

    private static final Logger log = LoggerFactory.getLogger(WanAddress.class);

    private final HostAddresses host;
    private final String interfaceName;
    private final Ipv4Address configured;
    private volatile boolean missingWarned;

    WanAddress(HostAddresses host, String interfaceName, Ipv4Address configured) {
        this.host = host;
        this.interfaceName = interfaceName;
        this.configured = configured;
    }

    Optional<Ipv4Address> current() {
        List<Ipv4Address> addresses = host.on(interfaceName);
        if (configured == null) {
            return addresses.stream().findFirst();
        }
        if (addresses.contains(configured)) {
            missingWarned = false;
            return Optional.of(configured);
        }
        if (!missingWarned) {
            missingWarned = true;
            log.warn("IPAM_WAN_ADDRESS {} is not an address of {} (it has {}); heartbeats carry no WAN address until "
                    + "it is", configured, interfaceName, addresses);
        }
        return Optional.empty();
    }
}
