package org.vlab.ipam.agent;

import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.domain.LabNetwork;

/**
 * Stops the agent at start when a lab network overlaps the network of its WAN interface: a
 * mapping could then forward from the WAN into the WAN's own network, a relay onto whatever
 * sits beside the gateway. An interface without an address yet cannot be checked; the target
 * policy then refuses targets inside the WAN network once it has one.
 */
final class LabNetworksCheck implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(LabNetworksCheck.class);

    private final AgentProperties properties;
    private final HostAddresses host;

    LabNetworksCheck(AgentProperties properties, HostAddresses host) {
        this.properties = properties;
        this.host = host;
    }

    @Override
    public void afterPropertiesSet() {
        List<LabNetwork> wan = host.networksOn(properties.wanInterface());
        if (wan.isEmpty()) {
            log.warn("the WAN interface {} has no IPv4 address now, so the lab networks {} cannot be checked against its "
                    + "network; targets inside it are refused once it has one", properties.wanInterface(),
                    properties.lanCidrs());
            return;
        }
        for (LabNetwork wanNetwork : wan) {
            List<LabNetwork> overlapping = properties.lanCidrs().stream().filter(lab -> overlap(lab, wanNetwork))
                    .toList();
            if (!overlapping.isEmpty()) {
                String listed = properties.lanCidrs().stream().map(LabNetwork::toString).collect(Collectors.joining(","));
                throw new InvalidConfigurationPropertyValueException("ipam.lan-cidrs", listed, "IPAM_LAN_CIDRS "
                        + overlapping + " overlaps the network " + wanNetwork + " of the WAN interface "
                        + properties.wanInterface() + "; mappings would forward from the WAN back into it. List only "
                        + "the lab networks behind the gateway.");
            }
        }
    }

    private static boolean overlap(LabNetwork a, LabNetwork b) {
        return a.contains(b.base()) || b.contains(a.base());
    }
}
