package org.vlab.ipam.api.gateway;

import java.time.Instant;
import java.util.List;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/**
 * What the API knows of a gateway: its WAN address (null until its agent reported one), the
 * lab networks targets must fall in (its agent's, or the configured default until then), and
 * why its agent cannot apply changes ({@code degradedReason}, null unless it last reported
 * {@code state: degraded}).
 */
public record GatewayRecord(Ipv4Address wanAddress, List<LabNetwork> labNetworks, boolean reported,
        String agentVersion, Instant lastHeartbeat, long appliedGeneration, String degradedReason) {

    public boolean degraded() {
        return degradedReason != null;
    }

    public boolean admits(org.vlab.ipam.domain.LabAddress address) {
        return labNetworks.stream().anyMatch(network -> network.contains(address));
    }

    /** Why {@code address} cannot be a target although inside a lab network (network or broadcast address), if so. */
    public java.util.Optional<String> reservedUse(org.vlab.ipam.domain.LabAddress address) {
        return labNetworks.stream().map(network -> network.reservedUse(address.address()))
                .flatMap(java.util.Optional::stream).findFirst();
    }
}
