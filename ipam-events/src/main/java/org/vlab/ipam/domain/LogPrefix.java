package org.vlab.ipam.domain;

import java.util.Optional;

/**
 * The log prefix that ties a forwarded connection's log record to its port mapping: the
 * agent's per-mapping log rule writes {@code VLABFWD:<conn_port>}, and the log forwarder
 * reads the connection port back from it. Short enough for the LOG target's 29 characters.
 */
public final class LogPrefix {

    /** What every prefix the agent writes starts with (also the whole prefix of a rule not tied to a mapping). */
    public static final String TAG = "VLABFWD";

    private static final String MAPPING_START = TAG + ":";

    private LogPrefix() {
    }

    /** The prefix for one mapping's log rule, without the trailing space a LOG rule adds. */
    public static String forMapping(ConnPort port) {
        return TAG + ":" + port.value();
    }

    /**
     * The connection port a prefix names, if it is one of the agent's per-mapping prefixes:
     * {@code VLABFWD:} and 1 to 5 ASCII digits, surrounding white space aside. Read by hand
     * rather than with a pattern: the log forwarder asks for every line, and the matcher was
     * a third of its parsing time.
     */
    public static Optional<ConnPort> connPort(String prefix) {
        if (prefix == null) {
            return Optional.empty();
        }
        String text = prefix.strip();
        int digits = text.length() - MAPPING_START.length();
        if (digits < 1 || digits > 5 || !text.startsWith(MAPPING_START)) {
            return Optional.empty();
        }
        int port = 0;
        for (int i = MAPPING_START.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65535 ? Optional.of(ConnPort.of(port)) : Optional.empty();
    }
}
