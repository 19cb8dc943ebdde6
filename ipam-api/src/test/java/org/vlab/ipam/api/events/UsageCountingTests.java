package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vlab.ipam.api.portmap.Snapshots;
import org.vlab.ipam.api.usage.ForwardedConnections;
import org.vlab.ipam.api.usage.ForwardedConnections.Connection;
import org.vlab.ipam.api.usage.UsageRecorder;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.testsupport.TestRedis;
import tools.jackson.databind.JsonNode;

/**
 * Usage per mapping, counted from log batches published as the log forwarder does and shown in
 * {@code GET /portmap}, {@code /addr} and the snapshot.
 */
class UsageCountingTests extends UsageTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    UsageRecorder recorder;
    @Autowired
    Snapshots snapshots;

    @Test
    void threeConnectionsShowTheLatestAndTheirCountInPortmapAddrAndTheSnapshot() {
        String gateway = TestRedis.uniqueName("usage");
        int port = mapping(gateway, "192.168.1.20", "lin01");
        assertThat(fieldNames(port(gateway, port))).as("api-v1's fields only before any connection")
                .doesNotContain("last_connection_at", "last_source", "connections_24h");
        assertThat(fieldNames(api.get(gateway, "/api/1/ipam/addr").content().get("lin01")))
                .containsExactly("component", "routable", "last_seen", "addr");
        Instant first = Instant.now().minusSeconds(600);
        Instant latest = first.plusSeconds(300);

        forward(gateway, batch(gateway, 0, connection(gateway, port, "10.10.0.2", first),
                connection(gateway, port, "10.10.0.4", latest), connection(gateway, port, "10.10.0.3", first.plusSeconds(5))));

        await().atMost(WAIT).until(() -> connections(gateway, port) == 3);
        JsonNode shown = port(gateway, port);
        assertThat(shown.get("last_connection_at").asString()).isEqualTo(latest.toString());
        assertThat(shown.get("last_source").asString()).isEqualTo("10.10.0.4");
        JsonNode record = api.get(gateway, "/api/1/ipam/addr?name=lin01").content().get("lin01");
        assertThat(record.get("connections_24h").asInt()).isEqualTo(3);
        assertThat(record.get("last_connection_at").asString()).isEqualTo(latest.toString());
        assertThat(record.get("last_source").asString()).isEqualTo("10.10.0.4");
        MappingSnapshot snapshot = snapshots.take(GatewayId.of(gateway)).block(WAIT).mappings().get(0);
        assertThat(snapshot.connections24h()).isEqualTo(3);
        assertThat(snapshot.lastConnectionAt()).isEqualTo(latest);
        assertThat(snapshot.lastSource()).isEqualTo(Ipv4Address.parse("10.10.0.4"));
    }

    @Test
    void aRedeliveredBatchIsCountedOnce() {
        String gateway = TestRedis.uniqueName("usage");
        int port = mapping(gateway, "192.168.1.21", "lin02");
        Instant now = Instant.now();
        var once = batch(gateway, 0, connection(gateway, port, "10.10.0.2", now.minusSeconds(60)),
                connection(gateway, port, "10.10.0.2", now.minusSeconds(30)));
        double duplicatesBefore = records("duplicate-batch");

        forward(gateway, once);
        forward(gateway, once);
        forward(gateway, batch(gateway, 100, connection(gateway, port, "10.10.0.9", now.minusSeconds(10))));

        await().atMost(WAIT).until(() -> connections(gateway, port) == 3);
        assertThat(port(gateway, port).get("last_source").asString()).isEqualTo("10.10.0.9");
        assertThat(records("duplicate-batch")).isEqualTo(duplicatesBefore + 2);
    }

    @Test
    void anOlderConnectionArrivingLateKeepsTheLatestAndStillCounts() {
        String gateway = TestRedis.uniqueName("usage");
        int port = mapping(gateway, "192.168.1.22", "lin03");
        Instant now = Instant.now();

        forward(gateway, batch(gateway, 0, connection(gateway, port, "10.10.0.5", now.minusSeconds(10))));
        forward(gateway, batch(gateway, 100, connection(gateway, port, "10.10.0.6", now.minusSeconds(900))));

        await().atMost(WAIT).until(() -> connections(gateway, port) == 2);
        assertThat(port(gateway, port).get("last_source").asString()).isEqualTo("10.10.0.5");
    }

    @Test
    void connectionsOlderThanTwentyFourHoursAreNotCountedAndAnHourOfYesterdayIsDropped() {
        String gateway = TestRedis.uniqueName("usage");
        int port = mapping(gateway, "192.168.1.23", "lin04");
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS).plusSeconds(1800);

        record(gateway, "a@0-1", now, new Connection(ConnPort.of(port), now.minus(Duration.ofHours(25)),
                Ipv4Address.parse("10.10.0.7")));
        assertThat(connections(gateway, port)).as("last connection shown, none counted").isZero();
        record(gateway, "a@1-2", now.minus(Duration.ofHours(24)), new Connection(ConnPort.of(port),
                now.minus(Duration.ofHours(24)), Ipv4Address.parse("10.10.0.7")));
        record(gateway, "a@2-3", now, new Connection(ConnPort.of(port), now, Ipv4Address.parse("10.10.0.8")));

        long hour = now.getEpochSecond() / 3600;
        assertThat(redis.commands().hget(usageKey(gateway), port + ":hours")).isEqualTo(hour + ":1");
        assertThat(connections(gateway, port)).isEqualTo(1);
        assertThat(port(gateway, port).get("last_connection_at").asString()).isEqualTo(now.toString());
    }

    @Test
    void aRemovedMappingsUsageIsForgotten() {
        String gateway = TestRedis.uniqueName("usage");
        int port = mapping(gateway, "192.168.1.24", "lin05");
        forward(gateway, batch(gateway, 0, connection(gateway, port, "10.10.0.2", Instant.now().minusSeconds(5))));
        await().atMost(WAIT).until(() -> connections(gateway, port) == 1);

        assertThat(api.delete(gateway, port).status()).isEqualTo(200);

        assertThat(redis.commands().hkeys(usageKey(gateway))).isEmpty();
        assertThat(api.get(gateway, "/api/1/ipam/portmap").content().get("ports").size()).isZero();
    }

    private void record(String gateway, String batchId, Instant now, Connection connection) {
        int colon = batchId.indexOf('@');
        long start = Long.parseLong(batchId.substring(colon + 1, batchId.indexOf('-')));
        var read = new ForwardedConnections(batch(gateway, start), List.of(connection), Map.of());
        assertThat(recorder.record(read, now).block(WAIT).duplicate()).isFalse();
    }
}
