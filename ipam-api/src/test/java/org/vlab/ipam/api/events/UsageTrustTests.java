package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * A compromised gateway's log forwarder (or anyone with a user on the broker) cannot make the
 * API count connections of another gateway, of ports without a mapping, or from garbage: such
 * records are dropped one by one and the batch's good records still count; a batch on another
 * gateway's key, of the wrong type, from a user not allowed for the key's gateway, or not
 * readable at all counts nothing and is dead-lettered with its reason.
 */
class UsageTrustTests extends UsageTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void countsTheGoodRecordsOfABatchAndDropsForeignUnknownFutureAndMalformedOnes() {
        String bob = TestRedis.uniqueName("bob");
        String alice = TestRedis.uniqueName("alice");
        int port = mapping(bob, "192.168.1.30", "kali");
        int alicePort = mapping(alice, "192.168.1.30", "kali");
        int unmapped = port == 50100 ? 50099 : port + 1;
        Instant now = Instant.now().minusSeconds(60);
        Map<String, Double> before = Map.of("malformed", records("malformed"), "other-gateway",
                records("other-gateway"), "future-time", records("future-time"), "unknown-port", records("unknown-port"));
        String good = record(bob, port, "10.10.0.2", now);
        String json = "{\"gateway\":\"" + bob + "\",\"source\":{\"file_id\":\"2049:9:ff\",\"start_offset\":0,"
                + "\"end_offset\":900},\"records\":[" + good + ","
                + record(alice, alicePort, "10.66.0.1", now) + ","
                + record(bob, unmapped, "10.66.0.2", now) + ","
                + record(bob, port, "10.66.0.3", Instant.now().plus(Duration.ofDays(365))) + ","
                + good.replace("\"src\":\"10.10.0.2\"", "\"src\":\"999.1.1.1\"") + ","
                + good.replace("\"conn_port\":" + port, "\"conn_port\":\"DROP TABLE\"") + ",42,null,{}]}";

        send(logsUser(bob), "logs-" + bob, "gateway." + bob + ".forward", utf8(json), "firewall.log-batch");

        await().atMost(WAIT).until(() -> connections(bob, port) == 1);
        assertThat(port(bob, port).get("last_source").asString()).isEqualTo("10.10.0.2");
        assertThat(connections(alice, alicePort)).as("alice's mapping").isEqualTo(-1);
        assertThat(redis.commands().hkeys(usageKey(bob))).noneMatch(field -> field.startsWith(unmapped + ":"));
        assertThat(records("other-gateway")).isEqualTo(before.get("other-gateway") + 1);
        assertThat(records("unknown-port")).isEqualTo(before.get("unknown-port") + 1);
        assertThat(records("future-time")).isEqualTo(before.get("future-time") + 1);
        assertThat(records("malformed")).isEqualTo(before.get("malformed") + 5);
    }

    @Test
    void aBatchForAnotherGatewayOnOwnKeyCountsNothing() {
        String bob = TestRedis.uniqueName("bob");
        String alice = TestRedis.uniqueName("alice");
        int alicePort = mapping(alice, "192.168.1.31", "win");
        Map<String, String> before = redisState(alice);

        String id = send(logsUser(bob), "logs-" + bob, "gateway." + bob + ".forward",
                body(alice, alicePort), "firewall.log-batch");

        assertRefused(id, "gateway-mismatch", "logs-" + bob);
        assertThat(redisState(alice)).isEqualTo(before);
    }

    @Test
    void aBatchFromAUserNotAllowedForTheKeysGatewayCountsNothing() {
        String bob = TestRedis.uniqueName("bob");
        int port = mapping(bob, "192.168.1.32", "win");
        String mallory = TestRedis.uniqueName("mallory");
        Map<String, String> before = redisState(bob);

        String wrongUser = send(connectAs("logs-" + mallory, ".*"), "logs-" + mallory, "gateway." + bob + ".forward",
                body(bob, port), "firewall.log-batch");
        String agentUser = send(connectAs("agent-" + bob, ".*"), "agent-" + bob, "gateway." + bob + ".forward",
                body(bob, port), "firewall.log-batch");
        String noUser = send(logsUser(bob), null, "gateway." + bob + ".forward", body(bob, port), "firewall.log-batch");

        assertRefused(wrongUser, "user-id-not-allowed", "logs-" + mallory);
        assertRefused(agentUser, "user-id-not-allowed", "agent-" + bob);
        assertRefused(noUser, "user-id-missing", null);
        assertThat(redisState(bob)).isEqualTo(before);
    }

    @Test
    void aBatchOfTheWrongTypeOrUnreadableCountsNothing() {
        String bob = TestRedis.uniqueName("bob");
        int port = mapping(bob, "192.168.1.33", "win");
        Map<String, String> before = redisState(bob);
        String key = "gateway." + bob + ".forward";

        String heartbeatType = send(logsUser(bob), "logs-" + bob, key, body(bob, port), "gateway.heartbeat");
        String notJson = send(logsUser(bob), "logs-" + bob, key, utf8("{\"gateway\":"), "firewall.log-batch");
        String noSource = send(logsUser(bob), "logs-" + bob, key, utf8("{\"gateway\":\"" + bob + "\",\"records\":[]}"),
                "firewall.log-batch");
        String badKey = send(logsUser(bob), "logs-" + bob, "gateway.b@d.forward", body(bob, port),
                "firewall.log-batch");

        assertRefused(heartbeatType, "type-mismatch", "logs-" + bob);
        assertRefused(notJson, "unreadable", "logs-" + bob);
        assertRefused(noSource, "unreadable", "logs-" + bob);
        assertRefused(badKey, "routing-key", "logs-" + bob);
        assertThat(redisState(bob)).isEqualTo(before);
    }

    private byte[] body(String gateway, int port) {
        return utf8("{\"gateway\":\"" + gateway + "\",\"source\":{\"file_id\":\"2049:9:ee\",\"start_offset\":0,"
                + "\"end_offset\":100},\"records\":[" + record(gateway, port, "10.10.0.2", Instant.now()) + "]}");
    }

    private static String record(String gateway, int port, String source, Instant time) {
        return "{\"time\":\"" + time + "\",\"gateway\":\"" + gateway + "\",\"prefix\":\"VLABFWD:" + port
                + "\",\"in_interface\":\"g0\",\"out_interface\":\"g1\",\"src\":\"" + source
                + "\",\"dst\":\"192.168.1.2\",\"protocol\":\"TCP\",\"src_port\":42372,\"dst_port\":22,\"conn_port\":"
                + port + "}";
    }

    private void assertRefused(String messageId, String reason, String userId) {
        var dead = deadLetter(USAGE_DEAD_LETTERS, messageId).getMessageProperties();
        assertThat((Object) dead.getHeader(RefusedMessages.REJECTION)).as("x-ipam-rejection").isEqualTo(reason);
        assertThat((Object) dead.getHeader(RefusedMessages.USER_ID)).as("publisher's user_id").isEqualTo(userId);
        assertThat(refusals(Topology.API_USAGE_QUEUE, reason)).isPositive();
    }
}
