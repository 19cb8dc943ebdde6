package org.vlab.ipam.agent;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.vlab.ipam.messaging.DeclareTopology;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.PortRange;

/**
 * The agent's configuration (prefix {@code ipam}); bad values stop it at start. Domain values
 * bind from text through their {@code of(String)} factories, so their own checks apply.
 *
 * @param gatewayId the gateway this agent serves ({@code IPAM_GATEWAY_ID})
 * @param wanInterface the interface whose address is public and on which DNAT matches ({@code IPAM_WAN_INTERFACE})
 * @param lanCidrs the lab networks every target must fall in ({@code IPAM_LAN_CIDRS}, comma-separated), each
 *        a /8 or narrower and clear of the WAN interface's network
 * @param portMin lowest connection port, inclusive ({@code VLAB_PORT_MIN})
 * @param portMax highest connection port, inclusive ({@code VLAB_PORT_MAX})
 * @param firewallBackend the kernel firewall to write rules to ({@code IPAM_FIREWALL_BACKEND})
 * @param reconcilePeriod time between full reconciliations with the desired state ({@code IPAM_RECONCILE_PERIOD})
 * @param heartbeatPeriod time between heartbeats to the API ({@code IPAM_HEARTBEAT_PERIOD})
 * @param logTarget how new forwarded connections are logged: nflog, log or none ({@code IPAM_LOG_TARGET})
 * @param nflogGroup the netlink group of NFLOG rules ({@code IPAM_NFLOG_GROUP})
 * @param logRate log records per second and mapping at most ({@code IPAM_LOG_RATE})
 * @param logBurst log records a mapping may write at once before the rate applies ({@code IPAM_LOG_BURST})
 * @param declareTopology what the agent declares on the broker: all, own-queues or none ({@code IPAM_DECLARE_TOPOLOGY})
 * @param snapshotTimeout how long the agent waits for the API's answer to a snapshot request ({@code IPAM_SNAPSHOT_TIMEOUT})
 * @param wanAddress which of the WAN interface's addresses heartbeats report; its primary address when unset ({@code IPAM_WAN_ADDRESS})
 * @param syncStallLimit how long a change may wait for a successful sync before health is DOWN ({@code IPAM_SYNC_STALL_LIMIT})
 * @param commandPublishers the RabbitMQ users whose commands the agent takes (the API's), as the broker checked a
 *        command's {@code user_id}; empty takes any (development only) ({@code IPAM_COMMAND_PUBLISHERS})
 */
@Validated
@ConfigurationProperties(prefix = "ipam")
public record AgentProperties(
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
        @DefaultValue("30s") @NotNull @DurationMin(seconds = 1) Duration heartbeatPeriod,
        @DefaultValue("nflog") @NotNull LogTarget logTarget,
        @DefaultValue("5") @Min(0) @Max(65535) int nflogGroup,
        @DefaultValue("10") @Min(1) @Max(10000) int logRate,
        @DefaultValue("20") @Min(1) @Max(10000) int logBurst,
        @DefaultValue("all") @NotNull DeclareTopology declareTopology,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 5) Duration snapshotTimeout,
        Ipv4Address wanAddress,
        @DefaultValue("2m") @NotNull @DurationMin(seconds = 1) Duration syncStallLimit,
        List<@NotBlank(message = "must be a RabbitMQ user name, not blank") String> commandPublishers) {

    public AgentProperties {
        lanCidrs = lanCidrs == null ? null : List.copyOf(lanCidrs);
        commandPublishers = commandPublishers == null ? List.of() : List.copyOf(commandPublishers);
    }

    /** The connection ports this gateway forwards; valid once the properties are. */
    public PortRange portRange() {
        return new PortRange(portMin, portMax);
    }

    /** What shapes the rules besides the mappings; valid once the properties are. */
    public RuleOptions ruleOptions() {
        return new RuleOptions(InterfaceName.of(wanInterface), logTarget, nflogGroup, logRate, logBurst);
    }

    @AssertTrue(message = "ipam.port-min (VLAB_PORT_MIN) must not be greater than ipam.port-max (VLAB_PORT_MAX)")
    boolean isPortMinAtMostPortMax() {
        return portMin <= portMax;
    }

    @AssertTrue(message = "ipam.lan-cidrs (IPAM_LAN_CIDRS): a lab network broader than a /8 would let mappings reach "
            + "nearly any address; list the lab networks behind the gateway, each /8 or narrower")
    boolean isEveryLabNetworkAtMostASlash8() {
        return lanCidrs == null || lanCidrs.stream().allMatch(lab -> lab == null || lab.prefixLength() >= 8);
    }
}
