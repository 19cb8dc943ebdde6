package org.vlab.ipam.logs.parse;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LogPrefix;
import org.vlab.ipam.events.FirewallLogRecord;

/**
 * Parses one line of the firewall log, in either format the gateway writes:
 * <pre>
 * 2026-11-20T09:30:56.693495-05:00 alice-gw kernel: [   31.452226] VLABFWD:50001 IN=ens160 OUT=ens192 ...
 * Nov 24 15:59:34 alice-gw VLABFWD IN=g0 OUT=g1 MAC=... SRC=10.10.0.2 DST=192.168.1.2 ... PROTO=TCP ...
 * </pre>
 * (kernel {@code LOG} target via syslog; ulogd2's LOGEMU for {@code NFLOG} rules). The prefix
 * is whatever stands between the syslog tag (and the kernel's own uptime stamp) and
 * {@code IN=}; the agent's per-mapping prefix names the connection port. Every record
 * belongs to the configured gateway: the host name in the line is the machine's, not the
 * gateway id. Thread-safe (it keeps the strings of recurring tokens, {@code RecurringTokens});
 * anything it cannot read is a {@link SkipReason}, never an exception.
 */
public final class FirewallLineParser {

    /** LOG prefixes hold at most 29 characters and NFLOG prefixes 63; anything longer is not a prefix. */
    private static final int MAX_PREFIX = 64;
    /** IFNAMSIZ is 16 bytes with the terminating NUL. */
    private static final int MAX_INTERFACE = 15;
    private static final int MAX_PROTOCOL = 16;
    /**
     * Slots for a gateway's interface names and its mappings' prefixes: with a thousand of them
     * about nine in ten have a slot to themselves (32 KiB of references).
     */
    private static final int RECURRING_TOKENS = 8192;

    private final GatewayId gateway;
    private final SyslogTime times;
    private final RecurringTokens tokens = new RecurringTokens(RECURRING_TOKENS, MAX_PREFIX);

    /**
     * @param zone the zone of year-less local times (LOGEMU); RFC 3339 times carry their own offset
     * @param clock the present, against which a year-less time's year is chosen
     */
    public FirewallLineParser(GatewayId gateway, ZoneId zone, Clock clock) {
        this.gateway = gateway;
        this.times = new SyslogTime(new YearInference(zone, clock));
    }

    public ParsedLine parse(String line) {
        SyslogTime.Stamp stamp = times.read(line);
        if (stamp == null || stamp.end() >= line.length() || line.charAt(stamp.end()) != ' ') {
            return ParsedLine.skipped(SkipReason.NOT_SYSLOG);
        }
        int hostStart = stamp.end() + 1;
        int hostEnd = line.indexOf(' ', hostStart);
        if (hostEnd <= hostStart) {
            return ParsedLine.skipped(SkipReason.NOT_SYSLOG);
        }
        int record = recordStart(line, hostEnd);
        if (record < 0) {
            return ParsedLine.skipped(SkipReason.NOT_NETFILTER);
        }
        String prefix = prefix(line, hostEnd, record);
        if (prefix == null) {
            return ParsedLine.skipped(SkipReason.NOT_NETFILTER);
        }
        NetfilterFields fields = NetfilterFields.read(line, record, tokens);
        if (fields.in.isEmpty() || fields.out.isEmpty()) {
            return ParsedLine.skipped(SkipReason.NOT_FORWARDED);
        }
        if (!fields.hasAddresses() || fields.proto == null) {
            return ParsedLine.skipped(SkipReason.MALFORMED);
        }
        if (fields.ipv6()) {
            return ParsedLine.skipped(SkipReason.NOT_IPV4);
        }
        if (fields.in.length() > MAX_INTERFACE || fields.out.length() > MAX_INTERFACE || fields.proto.isEmpty()
                || fields.proto.length() > MAX_PROTOCOL) {
            return ParsedLine.skipped(SkipReason.MALFORMED);
        }
        int srcPort = fields.sourcePort();
        int dstPort = fields.destinationPort();
        if (srcPort == NetfilterFields.MALFORMED || dstPort == NetfilterFields.MALFORMED) {
            return ParsedLine.skipped(SkipReason.MALFORMED);
        }
        try {
            Optional<ConnPort> connPort = LogPrefix.connPort(prefix);
            return ParsedLine.of(new FirewallLogRecord(stamp.time(), gateway, prefix, fields.in, fields.out,
                    fields.src(), fields.dst(), fields.proto, portOrNull(srcPort), portOrNull(dstPort),
                    connPort.orElse(null)));
        } catch (IllegalArgumentException e) {
            return ParsedLine.skipped(SkipReason.MALFORMED);
        }
    }

    /**
     * Where the netfilter record starts: the first {@code IN=} followed by an {@code OUT=}
     * token, or -1. The prefix may run straight into it ({@code VLABFWD:50001IN=...}) when a
     * rule's prefix lacks the customary trailing space.
     */
    private static int recordStart(String line, int from) {
        int at = line.indexOf("IN=", from);
        while (at >= 0) {
            int valueEnd = line.indexOf(' ', at);
            if (valueEnd > 0 && line.startsWith(" OUT=", valueEnd)) {
                return at;
            }
            at = line.indexOf("IN=", at + 3);
        }
        return -1;
    }

    /**
     * The text between the host and the record: the syslog tag {@code kernel:} and the
     * kernel's uptime stamp {@code [   31.452226]} are not part of it; ulogd2 writes the prefix
     * right after the host. Null when what is left is too long to be a prefix.
     */
    private String prefix(String line, int hostEnd, int record) {
        int start = hostEnd + 1;
        if (line.startsWith("kernel:", start)) {
            start += "kernel:".length();
        }
        start = skipSpaces(line, start, record);
        if (start < record && line.charAt(start) == '[') {
            int close = line.indexOf(']', start);
            if (close > 0 && close < record && isUptime(line, start + 1, close)) {
                start = skipSpaces(line, close + 1, record);
            }
        }
        int end = record;
        // strip() would make a string before the recurring one could be handed out; char by char
        // is the same as its code points, since every whitespace character is in the basic plane
        while (start < end && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        return end - start > MAX_PREFIX ? null : tokens.of(line, start, end);
    }

    private static int skipSpaces(String line, int from, int limit) {
        int i = from;
        while (i < limit && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** {@code    31.452226}: spaces, digits and a dot, as printk's time stamp; {@code [UFW BLOCK]} is a prefix instead. */
    private static boolean isUptime(String line, int from, int to) {
        boolean digit = false;
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != ' ' && c != '.') {
                return false;
            }
        }
        return digit;
    }

    private static Integer portOrNull(int port) {
        return port == NetfilterFields.ABSENT ? null : port;
    }
}
