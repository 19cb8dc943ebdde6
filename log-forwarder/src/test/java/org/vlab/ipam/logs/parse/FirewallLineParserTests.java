package org.vlab.ipam.logs.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.FirewallLogRecord;

/** Golden tests over every line of the shared fixtures, and the edge cases around them. */
class FirewallLineParserTests {

    static final GatewayId ALICE = GatewayId.of("alice");
    /** A week after the LOGEMU fixture's lines were written, on a gateway in New York. */
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-27T17:00:00Z"), ZoneOffset.UTC);
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private final FirewallLineParser parser = new FirewallLineParser(ALICE, NEW_YORK, NOW);

    @Test
    void kernelLogViaRsyslogGivesEveryForwardRecordAndSkipsTheRest() throws IOException {
        assertThat(parseFixture("kern-log-forward.txt")).containsExactly(
                record("2026-11-20T14:30:56.693495Z", "", "ens160", "ens192", "10.7.1.50", "192.168.1.20", "TCP", 48884, 3389),
                record("2026-11-20T14:30:56.694012Z", "", "ens192", "ens160", "192.168.1.20", "10.7.1.50", "TCP", 3389, 48884),
                ParsedLine.skipped(SkipReason.NOT_NETFILTER),
                record("2026-11-20T14:31:05.000917Z", "", "ens192", "ens160", "192.168.1.31", "65.200.22.114", "TCP", 48886, 443),
                record("2026-11-20T14:31:07.518200Z", "", "ens192", "ens160", "192.168.1.31", "192.168.1.1", "ICMP", null, null),
                record("2026-11-20T14:31:09.771100Z", "", "ens192", "ens160", "192.168.1.31", "8.8.8.8", "UDP", 53211, 53),
                ParsedLine.skipped(SkipReason.NOT_NETFILTER),
                record("2026-11-20T14:31:12.250000Z", "", "ens160", "ens192", "10.7.1.50", "192.168.1.21", "TCP", 51000, 22));
    }

    @Test
    void ulogdLogemuGivesEveryRecordInTheConfiguredZoneAndTheInferredYear() throws IOException {
        assertThat(parseFixture("ulogd-logemu-forward.txt")).containsExactly(
                record("2026-11-24T20:59:34Z", "VLABFWD", "g0", "g1", "10.10.0.2", "192.168.1.2", "TCP", 42372, 2222),
                record("2026-11-24T20:59:34Z", "VLABFWD", "g1", "g0", "192.168.1.2", "10.10.0.2", "TCP", 2222, 42372),
                record("2026-11-24T20:59:34Z", "VLABFWD", "g0", "g1", "10.10.0.2", "192.168.1.2", "TCP", 42372, 2222),
                record("2026-11-24T20:59:35Z", "VLABFWD", "g1", "g0", "192.168.1.2", "10.10.0.2", "TCP", 2222, 42372));
    }

    @Test
    void perMappingPrefixAttributesTheRecordToItsConnectionPort() {
        FirewallLogRecord kernel = parser.parse("2026-11-20T09:30:56.693495-05:00 alice-gw kernel: [   31.452226] "
                + "VLABFWD:50007 IN=ens160 OUT=ens192 SRC=10.7.1.50 DST=192.168.1.20 LEN=60 PROTO=TCP SPT=48884 DPT=3389 SYN")
                .record();
        FirewallLogRecord logemu = parser.parse("Nov 24 15:59:34 alice-gw VLABFWD:50100 IN=g0 OUT=g1 SRC=10.10.0.2 "
                + "DST=192.168.1.2 PROTO=TCP SPT=42372 DPT=2222 ").record();

        assertThat(kernel.prefix()).isEqualTo("VLABFWD:50007");
        assertThat(kernel.connPort()).isEqualTo(ConnPort.of(50007));
        assertThat(logemu.connPort()).isEqualTo(ConnPort.of(50100));
    }

    @Test
    void aUdpMappingsRecordIsAttributedToItsConnectionPortLikeTcp() {
        // as the agent's per-mapping log rule writes a udp mapping's first datagram (conntrack NEW)
        FirewallLogRecord record = parser.parse("2026-12-04T18:40:00.120000+00:00 alice-gw kernel: [ 812.5] "
                + "VLABFWD:50009 IN=wan OUT=lab MAC=02:00:00:00:00:01 SRC=203.0.113.10 DST=192.168.1.40 LEN=33 "
                + "TOS=0x00 PREC=0x00 TTL=63 ID=4242 DF PROTO=UDP SPT=41000 DPT=53 LEN=13").record();

        assertThat(record.connPort()).isEqualTo(ConnPort.of(50009));
        assertThat(record.protocol()).isEqualTo("UDP");
        assertThat(record.src()).isEqualTo(Ipv4Address.parse("203.0.113.10"));
        assertThat(record.srcPort()).isEqualTo(41000);
        assertThat(record.dstPort()).isEqualTo(53);
    }

    @Test
    void aUdpRecordWithABadPortOrAddressIsMalformed() {
        String base = "2026-12-04T18:40:00Z alice-gw kernel: VLABFWD:50009 IN=wan OUT=lab ";
        assertThat(parser.parse(base + "SRC=203.0.113.10 DST=192.168.1.40 PROTO=UDP SPT=41000 DPT=65536").skipped())
                .isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=203.0.113 DST=192.168.1.40 PROTO=UDP SPT=41000 DPT=53").skipped())
                .isEqualTo(SkipReason.MALFORMED);
    }

    @Test
    void prefixWithoutTrailingSpaceRunsIntoTheRecordAndIsStillRead() {
        FirewallLogRecord record = parser.parse("2026-11-20T09:30:56Z alice-gw kernel: VLABFWD:50001IN=ens160 "
                + "OUT=ens192 SRC=10.7.1.50 DST=192.168.1.20 PROTO=TCP SPT=1 DPT=2").record();

        assertThat(record.prefix()).isEqualTo("VLABFWD:50001");
        assertThat(record.connPort()).isEqualTo(ConnPort.of(50001));
    }

    @Test
    void whitespaceAroundThePrefixIsNotPartOfIt() {
        FirewallLogRecord record = parser.parse("2026-11-20T09:30:56Z gw kernel: \t VLABFWD:50001 \t\u2003IN=a OUT=b "
                + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=UDP SPT=1 DPT=2").record();

        assertThat(record.prefix()).isEqualTo("VLABFWD:50001");
    }

    @Test
    void aNoBreakSpaceIsNotWhitespaceAndStaysInThePrefix() {
        FirewallLogRecord record = parser.parse("2026-11-20T09:30:56Z gw kernel: VLABFWD\u00A0 IN=a OUT=b "
                + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=UDP SPT=1 DPT=2").record();

        assertThat(record.prefix()).isEqualTo("VLABFWD\u00A0");
    }

    @Test
    void aPrefixOfSixtyFourCharactersIsReadAndALongerOneIsNotAPrefix() {
        String base = "2026-11-20T09:30:56Z gw kernel:  %s  IN=a OUT=b SRC=10.0.0.1 DST=10.0.0.2 PROTO=UDP SPT=1 DPT=2";

        assertThat(parser.parse(base.formatted("p".repeat(64))).record().prefix()).isEqualTo("p".repeat(64));
        assertThat(parser.parse(base.formatted("p".repeat(65))).skipped()).isEqualTo(SkipReason.NOT_NETFILTER);
    }

    @Test
    void recurringPrefixesAndInterfaceNamesAreOneStringEach() {
        String line = "2026-11-20T09:30:56Z gw kernel: VLABFWD:50001 IN=ens160 OUT=ens192 SRC=10.0.0.%d DST=10.0.0.2 "
                + "PROTO=UDP SPT=1 DPT=2";
        FirewallLogRecord first = parser.parse(line.formatted(1)).record();
        FirewallLogRecord next = parser.parse(line.formatted(2)).record();

        assertThat(next.prefix()).isSameAs(first.prefix());
        assertThat(next.inInterface()).isSameAs(first.inInterface());
        assertThat(next.outInterface()).isSameAs(first.outInterface());
    }

    @Test
    void everyMappingsPrefixAndInterfaceIsReadRightHoweverManyRecur() {
        // more distinct prefixes than the parser keeps strings for, each seen again later
        for (int round = 0; round < 2; round++) {
            for (int port = 1; port <= 10_000; port++) {
                FirewallLogRecord record = parser.parse("2026-11-20T09:30:56Z gw kernel: VLABFWD:" + port + " IN=g"
                        + port % 7 + " OUT=w" + port % 5 + " SRC=10.0.0.1 DST=10.0.0.2 PROTO=UDP SPT=1 DPT=2").record();

                assertThat(record.prefix()).isEqualTo("VLABFWD:" + port);
                assertThat(record.connPort()).isEqualTo(ConnPort.of(port));
                assertThat(record.inInterface()).isEqualTo("g" + port % 7);
                assertThat(record.outInterface()).isEqualTo("w" + port % 5);
            }
        }
    }

    @Test
    void bracketedPrefixIsNotMistakenForTheKernelUptime() {
        FirewallLogRecord withUptime = parser.parse("2026-11-20T09:30:56Z gw kernel: [ 4.5] [UFW BLOCK] IN=a OUT=b "
                + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=UDP SPT=1 DPT=2").record();
        FirewallLogRecord withoutUptime = parser.parse("2026-11-20T09:30:56Z gw kernel: [UFW BLOCK] IN=a OUT=b "
                + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=UDP SPT=1 DPT=2").record();

        assertThat(withUptime.prefix()).isEqualTo("[UFW BLOCK]");
        assertThat(withoutUptime.prefix()).isEqualTo("[UFW BLOCK]");
    }

    @Test
    void icmpErrorTakesItsOwnAddressesNotThoseOfTheQuotedPacket() {
        FirewallLogRecord record = parser.parse("2026-11-20T09:30:56Z gw kernel: IN=ens192 OUT=ens160 SRC=192.168.1.1 "
                + "DST=10.7.1.50 LEN=72 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.7.1.50 DST=192.168.1.1 LEN=44 PROTO=UDP "
                + "SPT=5000 DPT=53 LEN=24 ] MTU=1500").record();

        assertThat(record.src()).isEqualTo(Ipv4Address.parse("192.168.1.1"));
        assertThat(record.protocol()).isEqualTo("ICMP");
        assertThat(record.srcPort()).isNull();
        assertThat(record.dstPort()).isNull();
    }

    @Test
    void aKeyRepeatedLaterInTheRecordNeverReplacesItsFirstValue() {
        // reading stops once every key has its value; a key written again before that keeps its first value too
        FirewallLogRecord complete = parser.parse("2026-11-20T09:30:56Z gw kernel: IN=ens192 OUT=ens160 SRC=192.168.1.1 "
                + "DST=10.7.1.50 PROTO=TCP SPT=40000 DPT=22 IN=evil0 OUT=evil1 SRC=6.6.6.6 DST=7.7.7.7 PROTO=UDP SPT=1 "
                + "DPT=2").record();
        FirewallLogRecord repeatedEarly = parser.parse("2026-11-20T09:30:56Z gw kernel: IN=ens192 OUT=ens160 "
                + "SRC=192.168.1.1 SRC=6.6.6.6 DST=10.7.1.50 PROTO=TCP SPT=40000 SPT=1 DPT=22").record();

        for (FirewallLogRecord record : List.of(complete, repeatedEarly)) {
            assertThat(record.inInterface()).isEqualTo("ens192");
            assertThat(record.outInterface()).isEqualTo("ens160");
            assertThat(record.src()).isEqualTo(Ipv4Address.parse("192.168.1.1"));
            assertThat(record.dst()).isEqualTo(Ipv4Address.parse("10.7.1.50"));
            assertThat(record.protocol()).isEqualTo("TCP");
            assertThat(record.srcPort()).isEqualTo(40000);
            assertThat(record.dstPort()).isEqualTo(22);
        }
    }

    @Test
    void inputAndOutputChainRecordsAreNotForwardRecords() {
        assertThat(parser.parse("2026-11-20T09:30:56Z gw kernel: IN=ens160 OUT= MAC=00:50 SRC=10.7.1.50 "
                + "DST=10.7.1.1 PROTO=TCP SPT=1 DPT=22").skipped()).isEqualTo(SkipReason.NOT_FORWARDED);
        assertThat(parser.parse("2026-11-20T09:30:56Z gw kernel: IN= OUT=ens160 SRC=10.7.1.1 DST=10.7.1.50 "
                + "PROTO=TCP SPT=22 DPT=1").skipped()).isEqualTo(SkipReason.NOT_FORWARDED);
    }

    @Test
    void ipv6RecordsAreCountedApart() {
        assertThat(parser.parse("2026-11-20T09:30:56Z gw kernel: IN=a OUT=b SRC=2001:db8::1 DST=2001:db8::2 LEN=80 "
                + "TC=0 HOPLIMIT=63 FLOWLBL=0 PROTO=TCP SPT=1 DPT=2").skipped()).isEqualTo(SkipReason.NOT_IPV4);
    }

    @Test
    void recordsWithMissingOrBadFieldsAreMalformed() {
        String base = "2026-11-20T09:30:56Z gw kernel: IN=a OUT=b ";
        assertThat(parser.parse(base + "DST=10.0.0.2 PROTO=TCP SPT=1 DPT=2").skipped()).isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=10.0.0.1 DST=10.0.0.2 SPT=1 DPT=2").skipped()).isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=70000 DPT=2").skipped())
                .isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=-1 DPT=2").skipped())
                .isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=10.0.0.256 DST=10.0.0.2 PROTO=TCP").skipped()).isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT= DPT=2").skipped())
                .isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=123456").skipped())
                .isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=10.0.0.1 DST= PROTO=TCP").skipped()).isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=").skipped()).isEqualTo(SkipReason.MALFORMED);
        assertThat(parser.parse(base.replace("IN=a", "IN=an-interface-name-too-long") + "SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP")
                .skipped()).isEqualTo(SkipReason.MALFORMED);
    }

    @Test
    void anUnknownProtocolIsKeptAsWrittenAndAbsentPortsAreNull() {
        String base = "2026-11-20T09:30:56Z gw kernel: IN=a OUT=b SRC=10.0.0.1 DST=10.0.0.2 ";

        FirewallLogRecord sctp = parser.parse(base + "PROTO=SCTP SPT=5000 DPT=5001").record();
        FirewallLogRecord icmp = parser.parse(base + "PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1").record();

        assertThat(sctp.protocol()).isEqualTo("SCTP");
        assertThat(sctp.srcPort()).isEqualTo(5000);
        assertThat(sctp.dstPort()).isEqualTo(5001);
        assertThat(icmp.protocol()).isEqualTo("ICMP");
        assertThat(icmp.srcPort()).isNull();
        assertThat(icmp.dstPort()).isNull();
        assertThat(icmp.src()).hasToString("10.0.0.1");
        assertThat(icmp.dst()).hasToString("10.0.0.2");
    }

    @Test
    void linesWithoutASyslogTimeAndHostAreNotSyslog() {
        for (String line : List.of("", "garbage", "IN=a OUT=b SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP",
                "2026-13-20T09:30:56Z gw kernel: IN=a OUT=b SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP",
                "Feb 30 10:00:00 gw VLABFWD IN=a OUT=b SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP",
                "Nov 24 25:59:34 gw VLABFWD IN=a OUT=b SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP",
                "Nov 24 15:59:34", "Nov 24 15:59:34 ", "2026-11-20T09:30:56Z")) {
            assertThat(parser.parse(line).skipped()).as(line).isEqualTo(SkipReason.NOT_SYSLOG);
        }
    }

    @Test
    void tornLineWithoutItsRecordIsNotNetfilter() {
        assertThat(parser.parse("2026-11-20T09:30:56Z gw kernel: [ 31.4] IN=ens160 OU").skipped())
                .isEqualTo(SkipReason.NOT_NETFILTER);
    }

    @Test
    void singleDigitDayIsSpacePadded() {
        assertThat(parser.parse("Nov  4 15:59:34 gw VLABFWD IN=a OUT=b SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP")
                .record().time()).isEqualTo(Instant.parse("2026-11-04T20:59:34Z"));
    }

    private List<ParsedLine> parseFixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().map(parser::parse).toList();
        }
    }

    private static ParsedLine record(String time, String prefix, String in, String out, String src, String dst,
            String protocol, Integer srcPort, Integer dstPort) {
        return ParsedLine.of(new FirewallLogRecord(Instant.parse(time), ALICE, prefix, in, out, Ipv4Address.parse(src),
                Ipv4Address.parse(dst), protocol, srcPort, dstPort, null));
    }
}
