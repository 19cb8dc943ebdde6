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
 * absent while the configured interface has none. {@code state} and {@code reason} are
 * optional (agents before them send neither, which reads as ok): whether the agent can apply
 * changes, and while it cannot, why.
 */
public record GatewayHeartbeat(GatewayId gateway, Ipv4Address wanAddress, List<LabNetwork> labNetworks,
        String backend, @JsonProperty(required = true) int ruleCount, @JsonProperty(required = true) long appliedGeneration, String agentVersion, Instant sentAt,
        GatewayState state, String reason)
        implements IpamMessage {

    /** Longest reason a heartbeat carries. */
    public static final int MAX_REASON_LENGTH = 2000;

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
        if (reason != null) {
            Require.text(reason, "reason", MAX_REASON_LENGTH);
            if (state != GatewayState.DEGRADED) {
                throw new IllegalArgumentException("reason is only sent with state degraded");
            }
        }
    }

    /** A heartbeat that says nothing of the agent's state, as agents before {@code state} sent. */
    public GatewayHeartbeat(GatewayId gateway, Ipv4Address wanAddress, List<LabNetwork> labNetworks, String backend,
            int ruleCount, long appliedGeneration, String agentVersion, Instant sentAt) {
        this(gateway, wanAddress, labNetworks, backend, ruleCount, appliedGeneration, agentVersion, sentAt, null, null);
    }
}
