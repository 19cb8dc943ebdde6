package org.vlab.ipam.agent.host;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/** {@link HostAddresses} from the JDK's view of the interfaces of the network namespace the agent runs in. */
@Component
class NetworkInterfaces implements HostAddresses {

    @Override
    public Set<Ipv4Address> all() {
        Set<Ipv4Address> addresses = new HashSet<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        addresses.add(Ipv4Address.parse(address.getHostAddress()));
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the host's network interfaces", e);
        }
        return addresses;
    }

    @Override
    public Optional<Ipv4Address> of(String interfaceName) {
        try {
            NetworkInterface network = NetworkInterface.getByName(interfaceName);
            if (network == null) {
                return Optional.empty();
            }
            return Collections.list(network.getInetAddresses()).stream()
                    .filter(address -> address instanceof Inet4Address && !address.isLinkLocalAddress())
                    .map(address -> Ipv4Address.parse(address.getHostAddress()))
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<LabNetwork> networksOn(String interfaceName) {
        try {
            NetworkInterface network = NetworkInterface.getByName(interfaceName);
            return network == null ? List.of() : network.getInterfaceAddresses().stream()
                    .filter(address -> address.getAddress() instanceof Inet4Address
                            && !address.getAddress().isLinkLocalAddress() && address.getNetworkPrefixLength() > 0)
                    .map(address -> network(Ipv4Address.parse(address.getAddress().getHostAddress()),
                            address.getNetworkPrefixLength()))
                    .distinct().toList();
        } catch (SocketException e) {
            return List.of();
        }
    }

    private static LabNetwork network(Ipv4Address address, int prefixLength) {
        return new LabNetwork(new Ipv4Address(prefixLength == 32 ? address.bits()
                : address.bits() & ~(-1 >>> prefixLength)), prefixLength);
    }
}
