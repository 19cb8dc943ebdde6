package org.vlab.ipam.agent.rules;

/** How each mapping's new forwarded connections are logged for the log forwarder ({@code IPAM_LOG_TARGET}). */
public enum LogTarget {
    /** {@code -j NFLOG} to a netlink group (read by ulogd2). */
    NFLOG,
    /** {@code -j LOG} to the kernel log (read from syslog's file). */
    LOG,
    /** No log rule. */
    NONE
}
