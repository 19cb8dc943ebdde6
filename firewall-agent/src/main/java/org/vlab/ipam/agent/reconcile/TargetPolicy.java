package org.vlab.ipam.agent.reconcile;

import java.util.List;
import java.util.Optional;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.events.PortMapRequested.Action;
import org.vlab.ipam.events.PortMapTarget;

/**
 * The agent's own check of every command and snapshot entry, whatever the API decided: a
 * compromised producer must not turn the gateway into an open relay. A mapping may only
 * forward from a port of the configured range to a lab address that is not the gateway itself.
 */
public final class TargetPolicy {

    private final GatewayNetworks networks;
    private final HostAddresses host;

    public TargetPolicy(List<LabNetwork> labNetworks, PortRange range, HostAddresses host) {
        this.networks = new GatewayNetworks(List.copyOf(labNetworks), range);
        this.host = host;
    }

    /** Why the agent refuses this command or snapshot entry; empty when it may be applied. */
    public Optional<String> refusal(Action action, ConnPort port, PortMapTarget target) {
        if (!networks.range().contains(port)) {
            return Optional.of("conn_port " + port + " is outside this gateway's connection port range "
                    + networks.range());
        }
        if (action == Action.REMOVE) {
            return Optional.empty();
        }
        if (target == null) {
            return Optional.of("a create command must name its target");
        }
        Ipv4Address address = target.addr().address();
        Optional<LabNetwork> network = networks.labNetworks().stream().filter(lab -> lab.contains(address)).findFirst();
        if (network.isEmpty()) {
            return Optional.of("target_addr " + address + " is outside this gateway's lab networks "
                    + networks.labNetworks());
        }
        if (network.get().prefixLength() <= 30) {
            int hostBits = ~(-1 << (32 - network.get().prefixLength()));
            if ((address.bits() & hostBits) == 0) {
                return Optional.of("target_addr " + address + " is the network address of " + network.get());
            }
            if ((address.bits() & hostBits) == hostBits) {
                return Optional.of("target_addr " + address + " is the broadcast address of " + network.get());
            }
        }
        if (host.all().contains(address)) {
            return Optional.of("target_addr " + address + " is an address of the gateway itself");
        }
        return Optional.empty();
    }

    private record GatewayNetworks(List<LabNetwork> labNetworks, PortRange range) {
    }
}
