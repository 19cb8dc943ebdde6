package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An IPv4 network in CIDR notation, such as 192.168.1.0/24, with no host bits set: a lab network, or a client network in {@link AllowedSources}. */
public record LabNetwork(Ipv4Address base, int prefixLength) {

    public LabNetwork {
        if (base == null || prefixLength < 1 || prefixLength > 32) {
            throw new IllegalArgumentException("a lab network needs an address and a prefix length of 1-32");
        }
        if ((base.bits() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(base + "/" + prefixLength + " has host bits set; did you mean "
                    + new Ipv4Address(base.bits() & mask(prefixLength)) + "/" + prefixLength + "?");
        }
    }

    @JsonCreator
    public static LabNetwork of(String cidr) {
        if (cidr == null) {
            throw new IllegalArgumentException("a lab network (CIDR) is required; got nothing");
        }
        int slash = cidr.indexOf('/');
        String length = slash < 0 ? "" : cidr.substring(slash + 1);
        if (slash < 0 || length.isEmpty() || length.length() > 2 || !length.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a CIDR network such as 192.168.1.0/24: " + Quoted.of(cidr));
        }
        return new LabNetwork(Ipv4Address.parse(cidr.substring(0, slash)), Integer.parseInt(length));
    }

    private static int mask(int prefixLength) {
        return prefixLength == 32 ? -1 : ~(-1 >>> prefixLength);
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask(prefixLength)) == base.bits();
    }

    public boolean contains(LabAddress address) {
        return contains(address.address());
    }

    /**
     * Why {@code address}, inside this network, cannot be a host: it is the network's own
     * address or its broadcast address (networks of /30 and wider; /31 and /32 have neither).
     * Empty when it is usable or outside this network.
     */
    public java.util.Optional<String> reservedUse(Ipv4Address address) {
        if (prefixLength > 30 || !contains(address)) {
            return java.util.Optional.empty();
        }
        int hostBits = ~mask(prefixLength);
        int host = address.bits() & hostBits;
        return host == 0 ? java.util.Optional.of("the network address of " + this)
                : host == hostBits ? java.util.Optional.of("the broadcast address of " + this)
                : java.util.Optional.empty();
    }

    @JsonValue
    @Override
    public String toString() {
        return base + "/" + prefixLength;
    }
}
