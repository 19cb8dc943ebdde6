package org.vlab.ipam.events;

import java.time.Instant;
import java.util.List;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;

/**
 * Realistic messages of every wire type, with variants that leave out each optional field,
 * that hold empty lists, and that carry the awkward values a schema must still accept
 * (fractional-second instants, non-ASCII names, an empty log prefix, a multi-line reason).
 */
public final class MessageSamples {

    static final GatewayId ALICE = GatewayId.of("alice");
    static final GatewayId BOB = GatewayId.of("bob_lab-2");
    static final Instant T = Instant.parse("2026-11-24T10:15:30Z");

    private MessageSamples() {
    }

    public static List<IpamMessage> all() {
        return List.of(
                PortMapRequested.create(ALICE, ConnPort.of(50013), 7, windows(), T),
                PortMapRequested.create(BOB, ConnPort.of(50100), 1,
                        target("10.20.3.4", 22, "Büro-PC ✓ \"quoted\"", "Ubuntu 24.04 / SSH"), T.plusNanos(1)),
                PortMapRequested.create(ALICE, ConnPort.of(50017), 11, udpFromTwoNetworks(), T.plusSeconds(2)),
                PortMapRequested.remove(ALICE, ConnPort.of(50013), 8, T.plusSeconds(60)),
                PortMapRequested.remove(ALICE, ConnPort.of(50015), 10, T.plusSeconds(60), "expired"),
                new PortMapRequested(ALICE, ConnPort.of(50014), 9, PortMapRequested.Action.REMOVE, windows(),
                        T.plusSeconds(61)),
                new PortMapApplied(ALICE, ConnPort.of(50013), 7, Instant.parse("2026-11-24T10:15:30.123456789Z")),
                new PortMapFailed(ALICE, ConnPort.of(50014), 9, PortMapRequested.Action.CREATE,
                        "iptables-restore v1.8.7 (nf_tables): line 3 failed\nError occurred at line: 3",
                        T.plusMillis(250)),
                new PortMapFailed(BOB, ConnPort.of(1), 0, PortMapRequested.Action.REMOVE,
                        "iptables: Bad rule (does a matching rule exist in that chain?).\n".repeat(40).substring(0, 2000),
                        T),
                new PortMapRemoved(ALICE, ConnPort.of(50013), 8, T.plusSeconds(62)),
                new PortMapRemoved(ALICE, ConnPort.of(50015), 10, T.plusSeconds(62), "expired"),
                new GatewayHeartbeat(ALICE, Ipv4Address.parse("203.0.113.7"),
                        List.of(LabNetwork.of("192.168.1.0/24"), LabNetwork.of("10.20.0.0/16")), "iptables", 4, 9,
                        "0.1.0", T),
                new GatewayHeartbeat(BOB, null, List.of(), "iptables", 0, 0, "0.1.0-SNAPSHOT+dev", T),
                new GatewayHeartbeat(ALICE, Ipv4Address.parse("203.0.113.7"), List.of(LabNetwork.of("192.168.1.0/24")),
                        "iptables", 4, 9, "0.1.0", T, GatewayState.DEGRADED,
                        "iptables-restore v1.8.9 (nf_tables): Couldn't load target `NFLOG':No such file or directory"),
                new GatewayHeartbeat(BOB, null, List.of(), "iptables", 0, 0, "0.1.0", T, GatewayState.OK, null),
                new ReachabilityObserved(ALICE, LabAddress.of("192.168.1.20"),
                        new IcmpProbe(ProbeOutcome.ANSWERED, 3, 2, 0.412),
                        List.of(new TcpProbe(TargetPort.of(3389), ProbeOutcome.ANSWERED, 1.7),
                                new TcpProbe(TargetPort.of(22), ProbeOutcome.REFUSED, 0.3)),
                        true, false, T.minusSeconds(300), T),
                new ReachabilityObserved(ALICE, LabAddress.of("192.168.1.21"),
                        new IcmpProbe(ProbeOutcome.TIMED_OUT, 3, 0, null),
                        List.of(new TcpProbe(TargetPort.of(3389), ProbeOutcome.TIMED_OUT, null),
                                new TcpProbe(TargetPort.of(5900), ProbeOutcome.UNREACHABLE, null)),
                        false, true, T.minusSeconds(900), T),
                new ReachabilityObserved(BOB, LabAddress.of("10.20.3.4"), null, List.of(), false, false, null, T),
                new ReachabilityObserved(BOB, LabAddress.of("10.20.3.5"),
                        new IcmpProbe(ProbeOutcome.NOT_PERMITTED, 0, 0, null), List.of(), true, true, T, T),
                new FirewallLogBatch(ALICE, new LogSource("ino:1835011:fp:9f2c41d0", 4096, 4711), List.of(
                        new FirewallLogRecord(Instant.parse("2026-11-20T14:30:56.693495Z"), ALICE, "", "ens160",
                                "ens192", Ipv4Address.parse("10.7.1.50"), Ipv4Address.parse("192.168.1.20"), "TCP",
                                48884, 3389, null),
                        new FirewallLogRecord(T, ALICE, "VLABFWD 50013", "g0", "g1", Ipv4Address.parse("10.10.0.2"),
                                Ipv4Address.parse("192.168.1.2"), "TCP", 42372, 2222, ConnPort.of(50013)),
                        new FirewallLogRecord(T, ALICE, "VLABFWD", "ens192", "ens160",
                                Ipv4Address.parse("192.168.1.31"), Ipv4Address.parse("192.168.1.1"), "ICMP", null,
                                null, null),
                        new FirewallLogRecord(T, ALICE, "VLABFWD", "ens192", "ens160",
                                Ipv4Address.parse("0.0.0.0"), Ipv4Address.parse("255.255.255.255"), "UDP", 0,
                                65535, null))),
                new FirewallLogBatch(BOB, new LogSource("ino:42:fp:0", 0, 0), List.of()),
                new SnapshotRequested(ALICE, "firewall-agent", T),
                new SnapshotRequested(BOB, "health-worker@bob-gw", T.plusMillis(5)),
                new SnapshotTaken(ALICE, 9, List.of(
                        new MappingSnapshot(ConnPort.of(50013), windows(), 7, MappingState.APPLIED,
                                T.minusSeconds(90), Ipv4Address.parse("10.10.0.2"), 3),
                        new MappingSnapshot(ConnPort.of(50014), target("192.168.1.30", 22, "kali", "Kali"), 9,
                                MappingState.PENDING),
                        new MappingSnapshot(ConnPort.of(50015), target("192.168.1.31", 80, "web", "Linux"), 5,
                                MappingState.FAILED),
                        new MappingSnapshot(ConnPort.of(50016), target("192.168.1.32", 443, "web2", "Linux"), 6,
                                MappingState.REMOVING, null, null, null, "expired"),
                        new MappingSnapshot(ConnPort.of(50017), udpFromTwoNetworks(), 11, MappingState.APPLIED)),
                        T),
                new SnapshotTaken(BOB, 0, List.of(), T));
    }

    /** The first, most ordinary sample of a type. */
    static IpamMessage first(MessageType type) {
        return all().stream().filter(message -> MessageType.of(message) == type).findFirst().orElseThrow();
    }

    static PortMapTarget windows() {
        return target("192.168.1.20", 3389, "win01", "Windows");
    }

    /** A udp mapping only two client networks may use: both extension fields on the wire. */
    static PortMapTarget udpFromTwoNetworks() {
        return new PortMapTarget(LabAddress.of("192.168.1.40"), TargetPort.of(53), MachineName.of("dns"),
                Component.of("Linux"), Protocol.UDP, AllowedSources.of(List.of("203.0.113.0/24", "198.51.100.7/32")));
    }

    static PortMapTarget target(String addr, int port, String name, String component) {
        return new PortMapTarget(LabAddress.of(addr), TargetPort.of(port), MachineName.of(name), Component.of(component));
    }
}
