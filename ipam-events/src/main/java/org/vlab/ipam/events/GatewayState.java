package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Whether a gateway's agent can apply changes: {@code degraded} while a host-wide firewall
 * error (a refusal every mapping meets, a missing iptables) blocks every transaction.
 */
public enum GatewayState {
    @JsonProperty("ok") OK,
    @JsonProperty("degraded") DEGRADED
}
