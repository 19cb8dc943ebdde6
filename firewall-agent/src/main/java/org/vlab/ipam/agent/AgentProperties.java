package org.vlab.ipam.agent;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.PortRange;

/**
 * The agent's configuration (prefix {@code ipam}); bad values stop it at start. Domain values
 * bind from text through their {@code of(String)} factories, so their own checks apply.
 *
 * @param gatewayId the gateway this agent serves ({@code IPAM_GATEWAY_ID})
 * @param wanInterface the interface whose address is public and on which DNAT matches ({@code IPAM_WAN_INTERFACE})
 * @param lanCidrs the lab networks every target must fall in ({@code IPAM_LAN_CIDRS}, comma-separated)
 * @param portMin lowest connection port, inclusive ({@code VLAB_PORT_MIN})
 * @param portMax highest connection port, inclusive ({@code VLAB_PORT_MAX})
 * @param firewallBackend the kernel firewall to write rules to ({@code IPAM_FIREWALL_BACKEND})
 * @param reconcilePeriod time between full reconciliations with the desired state
 * @param heartbeatPeriod time between heartbeats to the API
 */
@Validated
@ConfigurationProperties(prefix = "ipam")
record AgentProperties(
        @NotNull(message = "is required (IPAM_GATEWAY_ID)") GatewayId gatewayId,
        @NotNull(message = "is required (IPAM_WAN_INTERFACE)")
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,14}",
                message = "must be a network interface name: 1-15 letters, digits, '_', '.' or '-'")
        String wanInterface,
        @DefaultValue("192.168.1.0/24") @NotEmpty List<@NotNull LabNetwork> lanCidrs,
        @DefaultValue("50000") @Min(1) @Max(65535) int portMin,
        @DefaultValue("50100") @Min(1) @Max(65535) int portMax,
        @DefaultValue("iptables") @NotNull FirewallBackend firewallBackend,
        @DefaultValue("30s") @NotNull @DurationMin(seconds = 1) Duration reconcilePeriod,
        @DefaultValue("30s") @NotNull @DurationMin(seconds = 1) Duration heartbeatPeriod) {

    AgentProperties {
        lanCidrs = lanCidrs == null ? null : List.copyOf(lanCidrs);
    }

    /** The connection ports this gateway forwards; valid once the properties are. */
    PortRange portRange() {
        return new PortRange(portMin, portMax);
    }

    @AssertTrue(message = "ipam.port-min (VLAB_PORT_MIN) must not be greater than ipam.port-max (VLAB_PORT_MAX)")
    boolean isPortMinAtMostPortMax() {
        return portMin <= portMax;
    }

    @AssertTrue(message = "ipam.firewall-backend (IPAM_FIREWALL_BACKEND): nftables is not supported yet; use iptables")
    boolean isFirewallBackendSupported() {
        return firewallBackend != FirewallBackend.NFTABLES;
    }
}
