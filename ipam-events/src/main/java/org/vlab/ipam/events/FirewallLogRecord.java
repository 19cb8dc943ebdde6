package org.vlab.ipam.events;

import java.time.Instant;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;

/**
 * One forwarded packet the gateway's firewall logged. Ports are absent for protocols without
 * them (ICMP); {@code connPort} is present when the record came from an agent's per-mapping
 * log rule, whose prefix names the connection port.
 */
public record FirewallLogRecord(Instant time, GatewayId gateway, String prefix, String inInterface,
        String outInterface, Ipv4Address src, Ipv4Address dst, String protocol, Integer srcPort, Integer dstPort,
        ConnPort connPort) {

    public FirewallLogRecord {
        Require.present(time, "time");
        Require.present(gateway, "gateway");
        Require.present(prefix, "prefix");
        Require.present(inInterface, "in_interface");
        Require.present(outInterface, "out_interface");
        Require.present(src, "src");
        Require.present(dst, "dst");
        Require.text(protocol, "protocol", 16);
        checkPort(srcPort, "src_port");
        checkPort(dstPort, "dst_port");
    }

    private static void checkPort(Integer port, String field) {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException(field + " must be between 0 and 65535; got " + port);
        }
    }
}
