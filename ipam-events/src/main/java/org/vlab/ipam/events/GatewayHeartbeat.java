package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/**
 * An agent's periodic report: the gateway's public (WAN) address, which clients connect to,
 * the lab networks targets must fall in, and what the firewall holds. The WAN address is
 * absent while the configured interface has none.
 */
public record GatewayHeartbeat(GatewayId gateway, Ipv4Address wanAddress, List<LabNetwork> labNetworks,
        String backend, @JsonProperty(required = true) int ruleCount, @JsonProperty(required = true) long appliedGeneration, String agentVersion, Instant sentAt)
        implements IpamMessage {

    public GatewayHeartbeat {
        Require.present(gateway, "gateway");
        labNetworks = Require.list(labNetworks, "lab_networks");
        Require.text(backend, "backend", 32);
        if (ruleCount < 0) {
            throw new IllegalArgumentException("rule_count must not be negative; got " + ruleCount);
        }
        Require.generation(appliedGeneration);
        Require.text(agentVersion, "agent_version", 64);
        Require.present(sentAt, "sent_at");
    }
}
