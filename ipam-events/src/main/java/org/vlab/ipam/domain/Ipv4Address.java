package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An IPv4 address written as a strict dotted quad: four decimal octets 0-255 without
 * leading zeros, because "010.1.1.1" means 8.1.1.1 to some parsers and 10.1.1.1 to others.
 */
public record Ipv4Address(int bits) {

    public static Ipv4Address parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an IPv4 address is required; got nothing");
        }
        return parse(text, 0, text.length());
    }

    /**
     * The address written in characters [from, to) of {@code text}: the log forwarder reads two
     * per line straight from the line, without a string of their own.
     */
    public static Ipv4Address parse(String text, int from, int to) {
        if (from < 0 || to > text.length() || from > to) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + text.length() + " characters");
        }
        // one pass over the characters
        int bits = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int octet = 0;
            for (; i < to && text.charAt(i) != '.'; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    throw notDottedQuad(text.substring(from, to));
                }
                octet = octet * 10 + (c - '0');
            }
            int digits = i - start;
            if (digits == 0 || (digits > 1 && text.charAt(start) == '0') || octet > 255) {
                throw notDottedQuad(text.substring(from, to));
            }
            bits = (bits << 8) | octet;
            parts++;
            if (i == to) {
                break;
            }
            i++;
            if (parts == 4) {
                throw notDottedQuad(text.substring(from, to));
            }
        }
        if (parts != 4) {
            throw notDottedQuad(text.substring(from, to));
        }
        return new Ipv4Address(bits);
    }

    @JsonCreator
    public static Ipv4Address of(String text) {
        return parse(text);
    }

    private static IllegalArgumentException notDottedQuad(String text) {
        return new IllegalArgumentException("not a dotted-quad IPv4 address: " + Quoted.of(text));
    }

    public int octet(int index) {
        return (bits >>> (24 - 8 * index)) & 0xff;
    }

    public boolean isLoopback() {
        return octet(0) == 127;
    }

    public boolean isMulticast() {
        return (octet(0) & 0xf0) == 0xe0;
    }

    public boolean isLinkLocal() {
        return octet(0) == 169 && octet(1) == 254;
    }

    /** 0.0.0.0/8: "this network", never a destination. */
    public boolean isUnspecified() {
        return octet(0) == 0;
    }

    public boolean isLimitedBroadcast() {
        return bits == -1;
    }

    /** 240.0.0.0/4 (reserved), which also holds the limited broadcast address. */
    public boolean isReserved() {
        return (octet(0) & 0xf0) == 0xf0;
    }

    @JsonValue
    @Override
    public String toString() {
        return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
    }
}
