package org.vlab.ipam.api.gateway;

import java.time.Instant;
import java.util.List;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/**
 * What the API knows of a gateway: its WAN address (null until its agent reported one) and
 * the lab networks targets must fall in (its agent's, or the configured default until then).
 */
public record GatewayRecord(Ipv4Address wanAddress, List<LabNetwork> labNetworks, boolean reported,
        String agentVersion, Instant lastHeartbeat, long appliedGeneration) {

    public boolean admits(org.vlab.ipam.domain.LabAddress address) {
        return labNetworks.stream().anyMatch(network -> network.contains(address));
    }

    /** Why {@code address} cannot be a target although inside a lab network (network or broadcast address), if so. */
    public java.util.Optional<String> reservedUse(org.vlab.ipam.domain.LabAddress address) {
        return labNetworks.stream().map(network -> network.reservedUse(address.address()))
                .flatMap(java.util.Optional::stream).findFirst();
    }
}
