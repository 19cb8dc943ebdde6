package org.vlab.ipam.agent.host;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
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
        return firstUsable(interfaceName).map(address -> Ipv4Address.parse(address.getAddress().getHostAddress()));
    }

    @Override
    public Optional<LabNetwork> networkOf(String interfaceName) {
        return firstUsable(interfaceName).filter(address -> address.getNetworkPrefixLength() > 0).map(address -> {
            int length = address.getNetworkPrefixLength();
            int bits = Ipv4Address.parse(address.getAddress().getHostAddress()).bits();
            return new LabNetwork(new Ipv4Address(length == 32 ? bits : bits & ~(-1 >>> length)), length);
        });
    }

    private static Optional<InterfaceAddress> firstUsable(String interfaceName) {
        try {
            NetworkInterface network = NetworkInterface.getByName(interfaceName);
            if (network == null) {
                return Optional.empty();
            }
            return network.getInterfaceAddresses().stream()
                    .filter(address -> address.getAddress() instanceof Inet4Address
                            && !address.getAddress().isLinkLocalAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }
}
