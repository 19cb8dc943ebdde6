package org.vlab.ipam.agent.reconcile;

import java.util.List;
import java.util.Optional;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.events.PortMapRequested.Action;
import org.vlab.ipam.events.PortMapTarget;

/**
 * The agent's own check of every command and snapshot entry, whatever the API decided: a
 * compromised producer must not turn the gateway into an open relay. A mapping may only
 * forward from a port of the configured range to a usable host address of every lab network
 * that holds it, never to the WAN interface's network nor to the gateway itself. A removal is
 * always accepted: it can only close.
 */
public final class TargetPolicy {

    private final GatewayNetworks networks;
    private final HostAddresses host;

    public TargetPolicy(List<LabNetwork> labNetworks, PortRange range, InterfaceName wanInterface, HostAddresses host) {
        this.networks = new GatewayNetworks(List.copyOf(labNetworks), range, wanInterface);
        this.host = host;
    }

    /** Why the agent refuses this command or snapshot entry; empty when it may be applied. */
    public Optional<String> refusal(Action action, ConnPort port, PortMapTarget target) {
        if (action == Action.REMOVE) {
            // whatever its port (the range may have shrunk since the mapping was made), a removal only closes
            return Optional.empty();
        }
        if (target == null) {
            return networks.range().contains(port) ? Optional.of("a create command must name its target")
                    : Optional.of("conn_port " + port + " is outside this gateway's connection port range "
                            + networks.range());
        }
        return refusal(port, target.addr().address());
    }

    /** Why the agent refuses a forwarding it holds now (the host's addresses change under it); empty when it may stay. */
    public Optional<String> refusal(ForwardedPort forward) {
        return refusal(forward.connPort(), forward.address().address());
    }

    private Optional<String> refusal(ConnPort port, Ipv4Address address) {
        if (!networks.range().contains(port)) {
            return Optional.of("conn_port " + port + " is outside this gateway's connection port range "
                    + networks.range());
        }
        List<LabNetwork> holding = networks.labNetworks().stream().filter(lab -> lab.contains(address)).toList();
        if (holding.isEmpty()) {
            return Optional.of("target_addr " + address + " is outside this gateway's lab networks "
                    + networks.labNetworks());
        }
        // an inner /24 listed beside its /16 has its own network and broadcast address
        for (LabNetwork network : holding) {
            Optional<String> reserved = network.reservedUse(address);
            if (reserved.isPresent()) {
                return Optional.of("target_addr " + address + " is " + reserved.get());
            }
        }
        for (LabNetwork wan : host.networksOn(networks.wanInterface().value())) {
            if (wan.contains(address)) {
                return Optional.of("target_addr " + address + " is inside the network " + wan
                        + " of the WAN interface " + networks.wanInterface());
            }
        }
        if (host.all().contains(address)) {
            return Optional.of("target_addr " + address + " is an address of the gateway itself");
        }
        return Optional.empty();
    }

    private record GatewayNetworks(List<LabNetwork> labNetworks, PortRange range, InterfaceName wanInterface) {
    }
}
