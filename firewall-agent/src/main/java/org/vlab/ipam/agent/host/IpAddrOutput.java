package org.vlab.ipam.agent.host;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vlab.ipam.domain.Ipv4Address;

/**
 * Reads {@code ip -o -4 addr show}: one line per address, such as
 * {@code 2: eth0    inet 203.0.113.1/24 brd 203.0.113.255 scope global eth0} or, for an
 * alias in the same subnet, {@code ... scope global secondary eth0}.
 */
final class IpAddrOutput {

    private static final Pattern INET = Pattern.compile("\\sinet (\\d{1,3}(?:\\.\\d{1,3}){3})/\\d+\\s(.*)");

    private IpAddrOutput() {
    }

    /** The usable addresses, primaries first, each group in the order ip printed them. */
    static List<Ipv4Address> addresses(String output) {
        record Listed(Ipv4Address address, boolean secondary) {
        }
        return output.lines().map(INET::matcher).filter(Matcher::find)
                .map(found -> new Listed(Ipv4Address.parse(found.group(1)), found.group(2).contains(" secondary")))
                .filter(listed -> !isLinkLocal(listed.address()))
                .sorted(Comparator.comparing(Listed::secondary))
                .map(Listed::address).toList();
    }

    private static boolean isLinkLocal(Ipv4Address address) {
        return (address.bits() >>> 16) == ((169 << 8) | 254);
    }
}
