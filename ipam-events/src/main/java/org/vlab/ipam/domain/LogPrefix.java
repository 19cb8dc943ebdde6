package org.vlab.ipam.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log prefix that ties a forwarded connection's log record to its port mapping: the
 * agent's per-mapping log rule writes {@code VLABFWD:<conn_port>}, and the log forwarder
 * reads the connection port back from it. Short enough for the LOG target's 29 characters.
 */
public final class LogPrefix {

    /** What every prefix the agent writes starts with (also the whole prefix of a rule not tied to a mapping). */
    public static final String TAG = "VLABFWD";

    private static final Pattern MAPPING = Pattern.compile(TAG + ":(\\d{1,5})");

    private LogPrefix() {
    }

    /** The prefix for one mapping's log rule, without the trailing space a LOG rule adds. */
    public static String forMapping(ConnPort port) {
        return TAG + ":" + port.value();
    }

    /** The connection port a prefix names, if it is one of the agent's per-mapping prefixes. */
    public static Optional<ConnPort> connPort(String prefix) {
        if (prefix == null) {
            return Optional.empty();
        }
        Matcher matcher = MAPPING.matcher(prefix.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(matcher.group(1));
        return port >= 1 && port <= 65535 ? Optional.of(ConnPort.of(port)) : Optional.empty();
    }
}
