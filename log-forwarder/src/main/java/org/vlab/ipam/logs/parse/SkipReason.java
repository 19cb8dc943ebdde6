package org.vlab.ipam.logs.parse;

import java.util.Locale;

/** Why a line of the log did not become a record; each reason has its own counter. */
public enum SkipReason {
    /** The line does not start with a syslog time and host (binary garbage, a torn line, another format). */
    NOT_SYSLOG,
    /** A syslog line, but not a netfilter record (systemd, audit, anything else the log holds). */
    NOT_NETFILTER,
    /** A netfilter record of the INPUT or OUTPUT chain: it lacks an in or an out interface. */
    NOT_FORWARDED,
    /** A netfilter record of IPv6 traffic, which the IPv4-only contract cannot carry. */
    NOT_IPV4,
    /** A netfilter record with a field missing or out of range. */
    MALFORMED,
    /** A line longer than the reader's limit; its bytes are passed over, not held. */
    TOO_LONG;

    /** The metric tag, such as {@code not-netfilter}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
