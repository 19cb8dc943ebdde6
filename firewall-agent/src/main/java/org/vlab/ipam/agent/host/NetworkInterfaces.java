package org.vlab.ipam.agent.host;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.ProcessCommandRunner;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/**
 * {@link HostAddresses} of the network namespace the agent runs in. An interface's addresses
 * come from {@code ip -o -4 addr show}, which lists them in the kernel's order with primaries
 * before secondaries (the JDK's list has no defined order); without iproute2 they come from
 * the JDK, lowest first, so the choice is at least stable.
 */
@Component
class NetworkInterfaces implements HostAddresses {

    private static final Logger log = LoggerFactory.getLogger(NetworkInterfaces.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner runner = new ProcessCommandRunner();
    private volatile boolean ipMissingWarned;

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
    public List<Ipv4Address> on(String interfaceName) {
        try {
            CommandRunner.Completed run = runner.run(List.of("ip", "-o", "-4", "addr", "show", "dev", interfaceName),
                    null, TIMEOUT);
            // a missing interface is an error for ip, and has no addresses
            return run.exitCode() == 0 ? IpAddrOutput.addresses(run.stdout()) : List.of();
        } catch (IOException e) {
            if (!ipMissingWarned) {
                ipMissingWarned = true;
                log.warn("cannot run ip (iproute2) to tell {}'s primary address ({}); using its lowest address",
                        interfaceName, e.getMessage());
            }
            return fromJdk(interfaceName);
        }
    }

    private static List<Ipv4Address> fromJdk(String interfaceName) {
        try {
            NetworkInterface network = NetworkInterface.getByName(interfaceName);
            if (network == null) {
                return List.of();
            }
            return Collections.list(network.getInetAddresses()).stream()
                    .filter(address -> address instanceof Inet4Address && !address.isLinkLocalAddress())
                    .map(address -> Ipv4Address.parse(address.getHostAddress()))
                    .sorted(Comparator.comparingLong(address -> Integer.toUnsignedLong(address.bits())))
                    .toList();
        } catch (SocketException e) {
            return List.of();
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
