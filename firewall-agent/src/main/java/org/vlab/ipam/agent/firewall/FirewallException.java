package org.vlab.ipam.agent.firewall;

import java.util.OptionalInt;

/**
 * iptables could not be run, or refused the agent's input. {@link #reason()} is iptables' own
 * stderr (trimmed to what a user can be shown); {@link #line()} is the restore input's line it
 * named, when it named one; {@link #kind()} says whether trying again can help.
 */
public final class FirewallException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What PortMapFailed's reason may hold. */
    public static final int MAX_REASON_LENGTH = 2000;

    /** What kind of failure this is, which decides who, if anyone, it is charged to. */
    public enum Kind {
        /** Passes by itself: the xtables lock held by another tool, a run that timed out. Retried, never answered. */
        TRANSIENT,
        /** iptables ran and refused the input (at {@link #line()}, when it said). */
        REFUSED,
        /** iptables could not be run at all (missing, not permitted). */
        UNAVAILABLE
    }

    private final String reason;
    private final Integer line;
    private final Kind kind;

    public FirewallException(Kind kind, String reason, Integer line, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
        this.reason = trim(reason);
        this.line = line;
    }

    public String reason() {
        return reason;
    }

    public OptionalInt line() {
        return line == null ? OptionalInt.empty() : OptionalInt.of(line);
    }

    public Kind kind() {
        return kind;
    }

    private static String trim(String reason) {
        String text = reason == null || reason.isBlank() ? "iptables failed without a message" : reason.strip();
        return text.length() <= MAX_REASON_LENGTH ? text : text.substring(0, MAX_REASON_LENGTH - 3) + "...";
    }
}
