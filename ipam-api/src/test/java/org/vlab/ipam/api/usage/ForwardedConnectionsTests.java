package org.vlab.ipam.api.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.api.usage.ForwardedConnections.Drop;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Ipv4Address;

/** Reading a log batch record by record: what counts, what is dropped, and what makes the whole batch unreadable. */
class ForwardedConnectionsTests {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void keepsTheConnectionsOfPerMappingRulesAndSkipsOtherRecords() {
        ForwardedConnections read = read(batch("alice", record("alice", "\"conn_port\":50013,", "10.10.0.2", NOW),
                record("alice", "", "10.10.0.3", NOW)));

        assertThat(read.connections()).singleElement().satisfies(connection -> {
            assertThat(connection.port()).isEqualTo(ConnPort.of(50013));
            assertThat(connection.source()).isEqualTo(Ipv4Address.parse("10.10.0.2"));
            assertThat(connection.at()).isEqualTo(NOW);
        });
        assertThat(read.batch().records()).hasSize(2);
        assertThat(read.dropped()).isEmpty();
        assertThat(read.batchId()).isEqualTo("2049:7:ab@0-512");
    }

    @Test
    void dropsForeignFutureAndMalformedRecordsOneByOne() {
        ForwardedConnections read = read(batch("alice", record("alice", "\"conn_port\":50013,", "10.10.0.2", NOW),
                record("bob", "\"conn_port\":50013,", "10.10.0.2", NOW),
                record("alice", "\"conn_port\":50013,", "10.10.0.2", NOW.plusSeconds(31)),
                record("alice", "\"conn_port\":70000,", "10.10.0.2", NOW),
                record("alice", "\"conn_port\":50013,", "10.10.0.256", NOW), "[]", "\"x\""));

        assertThat(read.connections()).hasSize(1);
        assertThat(read.dropped()).isEqualTo(Map.of(Drop.OTHER_GATEWAY, 1, Drop.FUTURE_TIME, 1, Drop.MALFORMED, 4));
    }

    @Test
    void aBatchWithoutGatewaySourceOrRecordsIsUnreadable() {
        for (String bad : new String[] {"", "[]", "{\"gateway\":\"a b\",\"source\":{},\"records\":[]}",
                "{\"gateway\":\"alice\",\"records\":[]}", "{\"gateway\":\"alice\",\"source\":{\"file_id\":\"f\","
                        + "\"start_offset\":5,\"end_offset\":1},\"records\":[]}",
                "{\"gateway\":\"alice\",\"source\":{\"file_id\":\"f\",\"start_offset\":0,\"end_offset\":1}}",
                "{\"gateway\":7,\"source\":{\"file_id\":\"f\",\"start_offset\":0,\"end_offset\":1},\"records\":[]}"}) {
            assertThatThrownBy(() -> ForwardedConnections.read(bad.getBytes(StandardCharsets.UTF_8), NOW))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static ForwardedConnections read(String json) {
        return ForwardedConnections.read(json.getBytes(StandardCharsets.UTF_8), NOW.plusSeconds(30));
    }

    private static String batch(String gateway, String... records) {
        return "{\"gateway\":\"" + gateway + "\",\"source\":{\"file_id\":\"2049:7:ab\",\"start_offset\":0,"
                + "\"end_offset\":512},\"records\":[" + String.join(",", records) + "]}";
    }

    private static String record(String gateway, String connPort, String source, Instant time) {
        return "{\"time\":\"" + time + "\",\"gateway\":\"" + gateway + "\",\"prefix\":\"VLABFWD\",\"in_interface\":\"g0\","
                + "\"out_interface\":\"g1\",\"src\":\"" + source + "\",\"dst\":\"192.168.1.2\",\"protocol\":\"TCP\","
                + connPort + "\"src_port\":42372,\"dst_port\":22}";
    }
}
