package org.vlab.ipam.logs.parse;

import org.vlab.ipam.domain.Ipv4Address;

/**
 * The fields of a netfilter record that the contract carries, read from its {@code KEY=value}
 * tokens ({@code IN=ens160 OUT=ens192 MAC=... SRC=10.7.1.50 ... PROTO=TCP SPT=48884 DPT=3389 ...}).
 * The first occurrence of a key wins, so reading stops once every key has its value, and at the
 * first bracket: an ICMP error
 * quotes the offending packet as {@code [SRC=... DST=... PROTO=UDP SPT=... DPT=...]}, whose
 * fields must not be taken for the record's own. Flags such as {@code DF} or {@code SYN} are
 * not carried. Addresses and ports are kept as positions in the line and read from there:
 * the forwarder reads every line, and a string for each was a good part of its parsing.
 */
final class NetfilterFields {

    /** What {@link #port} says when the key is not in the record. */
    static final int ABSENT = -1;
    /** What {@link #port} says when the value is not a number in 0-65535. */
    static final int MALFORMED = -2;
    private static final String[] KNOWN_PROTOCOLS = {"TCP", "UDP", "ICMP"};

    private final String line;
    private final RecurringTokens tokens;
    String in;
    String out;
    String proto;
    private int srcStart = -1;
    private int srcEnd;
    private int dstStart = -1;
    private int dstEnd;
    private int sptStart = -1;
    private int sptEnd;
    private int dptStart = -1;
    private int dptEnd;

    private NetfilterFields(String line, RecurringTokens tokens) {
        this.line = line;
        this.tokens = tokens;
    }

    /** The fields of the tokens from {@code from} on (where {@code IN=} starts). */
    static NetfilterFields read(String line, int from, RecurringTokens tokens) {
        NetfilterFields fields = new NetfilterFields(line, tokens);
        int length = line.length();
        int i = from;
        while (i < length) {
            char first = line.charAt(i);
            if (first == ' ') {
                i++;
                continue;
            }
            if (first == '[') {
                break;
            }
            int end = line.indexOf(' ', i);
            if (end < 0) {
                end = length;
            }
            int equals = line.indexOf('=', i);
            if (equals > i && equals < end) {
                fields.take(i, equals, end);
                if (fields.complete()) {
                    // what follows (sequence numbers, window, flags) cannot change a key's first value
                    break;
                }
            }
            i = end;
        }
        return fields;
    }

    private boolean complete() {
        return dptStart >= 0 && sptStart >= 0 && proto != null && dstStart >= 0 && srcStart >= 0 && out != null
                && in != null;
    }

    boolean hasAddresses() {
        return srcStart >= 0 && dstStart >= 0;
    }

    /** Either address holds a colon: an IPv6 record. */
    boolean ipv6() {
        return contains(srcStart, srcEnd, ':') || contains(dstStart, dstEnd, ':');
    }

    /** @throws IllegalArgumentException when it is not a dotted quad */
    Ipv4Address src() {
        return Ipv4Address.parse(line, srcStart, srcEnd);
    }

    /** @throws IllegalArgumentException when it is not a dotted quad */
    Ipv4Address dst() {
        return Ipv4Address.parse(line, dstStart, dstEnd);
    }

    /** {@code SPT}: the port, {@link #ABSENT} or {@link #MALFORMED}. */
    int sourcePort() {
        return port(sptStart, sptEnd);
    }

    /** {@code DPT}: the port, {@link #ABSENT} or {@link #MALFORMED}. */
    int destinationPort() {
        return port(dptStart, dptEnd);
    }

    private int port(int start, int end) {
        if (start < 0) {
            return ABSENT;
        }
        if (end == start || end - start > 5) {
            return MALFORMED;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return MALFORMED;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535 ? value : MALFORMED;
    }

    private boolean contains(int start, int end, char c) {
        for (int i = start; i < end; i++) {
            if (line.charAt(i) == c) {
                return true;
            }
        }
        return false;
    }

    private void take(int keyStart, int keyEnd, int valueEnd) {
        int value = keyEnd + 1;
        switch (keyEnd - keyStart) {
            case 2:
                if (in == null && line.startsWith("IN", keyStart)) {
                    in = tokens.of(line, value, valueEnd);
                }
                break;
            case 3:
                if (out == null && line.startsWith("OUT", keyStart)) {
                    out = tokens.of(line, value, valueEnd);
                } else if (srcStart < 0 && line.startsWith("SRC", keyStart)) {
                    srcStart = value;
                    srcEnd = valueEnd;
                } else if (dstStart < 0 && line.startsWith("DST", keyStart)) {
                    dstStart = value;
                    dstEnd = valueEnd;
                } else if (sptStart < 0 && line.startsWith("SPT", keyStart)) {
                    sptStart = value;
                    sptEnd = valueEnd;
                } else if (dptStart < 0 && line.startsWith("DPT", keyStart)) {
                    dptStart = value;
                    dptEnd = valueEnd;
                }
                break;
            case 5:
                if (proto == null && line.startsWith("PROTO", keyStart)) {
                    proto = protocol(value, valueEnd);
                }
                break;
            default:
                break;
        }
    }

    /** The common protocols as constants, anything else as written. */
    private String protocol(int start, int end) {
        for (String known : KNOWN_PROTOCOLS) {
            if (end - start == known.length() && line.startsWith(known, start)) {
                return known;
            }
        }
        return line.substring(start, end);
    }
}
