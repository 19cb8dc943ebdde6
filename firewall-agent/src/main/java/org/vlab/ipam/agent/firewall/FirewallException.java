package org.vlab.ipam.agent.firewall;

import java.util.OptionalInt;

/**
 * iptables could not be run, or refused the agent's input. {@link #reason()} is iptables' own
 * stderr (trimmed to what a user can be shown); {@link #line()} is the restore input's line it
 * named, when it named one.
 */
public final class FirewallException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What PortMapFailed's reason may hold. */
    public static final int MAX_REASON_LENGTH = 2000;

    private final String reason;
    private final Integer line;

    public FirewallException(String reason, Integer line, Throwable cause) {
        super(reason, cause);
        this.reason = trim(reason);
        this.line = line;
    }

    public String reason() {
        return reason;
    }

    public OptionalInt line() {
        return line == null ? OptionalInt.empty() : OptionalInt.of(line);
    }

    private static String trim(String reason) {
        String text = reason == null || reason.isBlank() ? "iptables failed without a message" : reason.strip();
        return text.length() <= MAX_REASON_LENGTH ? text : text.substring(0, MAX_REASON_LENGTH - 3) + "...";
    }
}
