package org.vlab.ipam.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.FirewallLogRecord;

/**
 * Numbered firewall log lines as rsyslog writes kernel LOG records, each with its own content
 * (time, source address and port follow from the number), and the record each must become,
 * so a test can tell every line apart by content alone.
 */
public final class SampleLines {

    private static final Instant BASE = Instant.parse("2026-11-20T14:00:00Z");
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.ofHours(-5));

    private SampleLines() {
    }

    /** Line number {@code n} (0 or more), without its newline. */
    public static String line(int n) {
        return RFC3339.format(time(n)) + " alice-gw kernel: [ 3141.592653] VLABFWD:" + connPort(n) + " IN=ens160 OUT=ens192 "
                + "MAC=00:50:56:bc:5d:f8:00:50:56:bc:9a:1e:08:00 SRC=" + source(n) + " DST=192.168.1.20 LEN=60 "
                + "TOS=0x00 PREC=0x00 TTL=63 ID=" + (n % 65536) + " DF PROTO=TCP SPT=" + sourcePort(n)
                + " DPT=3389 WINDOW=64240 RES=0x00 SYN URGP=0";
    }

    /** A syslog line that is not a firewall record, which the forwarder must skip. */
    public static String noise(int n) {
        return RFC3339.format(time(n)) + " alice-gw systemd[1]: Started session " + n + " of user alice.";
    }

    public static FirewallLogRecord record(int n, GatewayId gateway) {
        return new FirewallLogRecord(time(n), gateway, "VLABFWD:" + connPort(n), "ens160", "ens192",
                Ipv4Address.parse(source(n)), Ipv4Address.parse("192.168.1.20"), "TCP", sourcePort(n), 3389,
                ConnPort.of(connPort(n)));
    }

    private static Instant time(int n) {
        return BASE.plusNanos(n * 1000L);
    }

    private static String source(int n) {
        return "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
    }

    private static int sourcePort(int n) {
        return 1024 + n % 60000;
    }

    private static int connPort(int n) {
        return 50000 + n % 101;
    }
}
