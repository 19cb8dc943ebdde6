package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The address of a machine in a lab: a usable unicast IPv4 address. Whether it lies inside
 * a particular gateway's lab networks depends on that gateway, so {@link LabNetwork#contains}
 * answers that where the networks are known.
 */
public record LabAddress(Ipv4Address address) {

    public LabAddress {
        if (address == null) {
            throw new IllegalArgumentException("a lab address is required; got nothing");
        }
        String why = address.isLoopback() ? "loopback"
                : address.isMulticast() ? "multicast"
                : address.isLimitedBroadcast() ? "broadcast"
                : address.isReserved() ? "reserved"
                : address.isUnspecified() ? "unspecified"
                : address.isLinkLocal() ? "link-local"
                : null;
        if (why != null) {
            throw new IllegalArgumentException(address + " is " + (why.equals("unspecified") ? "an " : "a ") + why + " address, not a usable lab address");
        }
    }

    @JsonCreator
    public static LabAddress of(String text) {
        return new LabAddress(Ipv4Address.parse(text));
    }

    @JsonValue
    @Override
    public String toString() {
        return address.toString();
    }
}
