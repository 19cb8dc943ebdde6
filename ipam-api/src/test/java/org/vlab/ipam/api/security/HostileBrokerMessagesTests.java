package org.vlab.ipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.vlab.ipam.events.Topology;

/**
 * Hostile messages on the broker, as a compromised gateway or anyone with a broker account
 * sends them: unreadable or invalid events, events that name another gateway than their
 * routing key, types that do not match the key, timestamps in the future, and a snapshot
 * request whose reply goes to a foreign queue. Each must end in the dead-letter queue and
 * leave Redis as it was, including lies about gateway, type and time and a foreign reply-to.
 */
class HostileBrokerMessagesTests extends HostileApiTestBase {

    private static final Duration DEAD_LETTER_WAIT = Duration.ofSeconds(20);

    /** One message: where it goes, its AMQP type (null: none), content type and body. */
    private record Hostile(String what, String exchange, String routingKey, String type, String contentType, String body,
            String replyTo) {

        static Hostile event(String what, String routingKey, String type, String body) {
            return new Hostile(what, Topology.EVENTS_EXCHANGE, routingKey, type, MessageProperties.CONTENT_TYPE_JSON, body,
                    null);
        }
    }

    private String key(String gateway, String suffix) {
        return "gateway." + gateway + "." + suffix;
    }

    private String removed(String gateway, Instant at) {
        return "{\"gateway\":\"" + gateway + "\",\"conn_port\":" + victimPort + ",\"generation\":1000000,\"removed_at\":\""
                + at + "\"}";
    }

    private String heartbeat(String gateway, Instant at) {
        return "{\"gateway\":\"" + gateway + "\",\"wan_address\":\"198.51.100.66\",\"lab_networks\":[\"10.0.0.0/8\"],"
                + "\"backend\":\"iptables\",\"rule_count\":0,\"applied_generation\":0,\"agent_version\":\"evil\","
                + "\"sent_at\":\"" + at + "\"}";
    }

    private String reachability(String gateway, Instant at) {
        return "{\"gateway\":\"" + gateway + "\",\"address\":\"" + VICTIM_TARGET + "\",\"icmp\":null,\"tcp\":[],"
                + "\"routable\":true,\"changed\":true,\"last_seen_alive\":\"" + at + "\",\"observed_at\":\"" + at + "\"}";
    }

    @Test
    void deadLettersUnreadableAndInvalidEventsWithoutChangingRedis() {
        Instant now = Instant.now();
        String removedKey = key(victim, "portmap.removed");
        List<Hostile> messages = List.of(
                Hostile.event("not JSON", removedKey, "portmap.removed", "{not json"),
                Hostile.event("unknown type", removedKey, "portmap.destroyed", removed(victim, now)),
                Hostile.event("no type", removedKey, null, removed(victim, now)),
                Hostile.event("Java class name as type", removedKey, "org.vlab.ipam.events.PortMapRemoved",
                        removed(victim, now)),
                new Hostile("text/plain", Topology.EVENTS_EXCHANGE, removedKey, "portmap.removed", "text/plain",
                        removed(victim, now), null),
                Hostile.event("gateway id with a dot", removedKey, "portmap.removed", removed("../" + victim, now)),
                Hostile.event("conn port 0", removedKey, "portmap.removed",
                        removed(victim, now).replace("\"conn_port\":" + victimPort, "\"conn_port\":0")),
                Hostile.event("negative generation", removedKey, "portmap.removed",
                        removed(victim, now).replace("1000000", "-1")),
                Hostile.event("no timestamp", removedKey, "portmap.removed",
                        removed(victim, now).replace(",\"removed_at\":\"" + now + "\"", "")),
                Hostile.event("array body", removedKey, "portmap.removed", "[" + removed(victim, now) + "]"),
                Hostile.event("heartbeat with a host name as WAN address", key(victim, "heartbeat"), "gateway.heartbeat",
                        heartbeat(victim, now).replace("198.51.100.66", "evil.example")),
                Hostile.event("heartbeat with a negative rule count", key(victim, "heartbeat"), "gateway.heartbeat",
                        heartbeat(victim, now).replace("\"rule_count\":0", "\"rule_count\":-5")),
                Hostile.event("reachability of an IPv6 address", key(victim, "reachability"), "reachability.observed",
                        reachability(victim, now).replace(VICTIM_TARGET, "::1")),
                new Hostile("snapshot request without reply-to", Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY,
                        "snapshot.requested", MessageProperties.CONTENT_TYPE_JSON, "{\"gateway\":\"" + victim
                                + "\",\"requester\":\"evil\",\"requested_at\":\"" + now + "\"}", null),
                new Hostile("snapshot request for an invalid gateway", Topology.COMMANDS_EXCHANGE,
                        Topology.SNAPSHOT_ROUTING_KEY, "snapshot.requested", MessageProperties.CONTENT_TYPE_JSON,
                        "{\"gateway\":\"*\",\"requester\":\"evil\",\"requested_at\":\"" + now + "\"}", null));

        sendAndExpectDeadLetters("hostile broker messages", messages);
    }

    @Test
    void deadLettersEventsThatLieAboutGatewayTypeOrTime() {
        Instant now = Instant.now();
        Instant future = now.plus(Duration.ofDays(365));
        List<Hostile> messages = List.of(
                Hostile.event("removal of the victim's mapping on the attacker's key", key(attacker, "portmap.removed"),
                        "portmap.removed", removed(victim, now)),
                Hostile.event("victim's heartbeat on the attacker's key", key(attacker, "heartbeat"), "gateway.heartbeat",
                        heartbeat(victim, now)),
                Hostile.event("victim's reachability on the attacker's key", key(attacker, "reachability"),
                        "reachability.observed", reachability(victim, now)),
                Hostile.event("portmap.removed typed, heartbeat key", key(victim, "heartbeat"), "portmap.removed",
                        removed(victim, now)),
                Hostile.event("heartbeat typed, reachability key", key(victim, "reachability"), "gateway.heartbeat",
                        heartbeat(victim, now)),
                Hostile.event("heartbeat a year ahead", key(victim, "heartbeat"), "gateway.heartbeat",
                        heartbeat(victim, future)),
                Hostile.event("reachability a year ahead", key(victim, "reachability"), "reachability.observed",
                        reachability(victim, future)));

        sendAndExpectDeadLetters("hostile broker messages that lie about gateway, type or time", messages);
    }

    @Test
    void answersSnapshotRequestsOnlyToDirectReplyTo() {
        RabbitAdmin admin = new RabbitAdmin(vhost.connectionFactory());
        String inbox = admin.declareQueue(new Queue("attacker.inbox." + UUID.randomUUID(), false, false, true));
        String body = "{\"gateway\":\"" + victim + "\",\"requester\":\"evil\",\"requested_at\":\"" + Instant.now() + "\"}";

        sendAndExpectDeadLetters("snapshot request with a foreign reply-to", List.of(new Hostile("reply-to a named queue",
                Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY, "snapshot.requested",
                MessageProperties.CONTENT_TYPE_JSON, body, inbox)));

        assertThat(admin.getQueueInfo(inbox).getMessageCount()).as("snapshots in the attacker's queue").isZero();
    }

    /** Publishes each message with its own id, waits for all in the dead-letter queues, and compares Redis. */
    private void sendAndExpectDeadLetters(String title, List<Hostile> messages) {
        RabbitTemplate rabbit = new RabbitTemplate(vhost.connectionFactory());
        Map<String, String> before = RedisDump.of(redis.commands(), redis.keyPrefix());
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (Hostile hostile : messages) {
            MessageProperties properties = new MessageProperties();
            String id = UUID.randomUUID().toString();
            properties.setMessageId(id);
            properties.setType(hostile.type());
            properties.setContentType(hostile.contentType());
            properties.setReplyTo(hostile.replyTo());
            rabbit.send(hostile.exchange(), hostile.routingKey(),
                    new Message(hostile.body().getBytes(StandardCharsets.UTF_8), properties));
            ids.put(id, hostile.what());
        }
        Set<String> deadLettered = new HashSet<>();
        try {
            Awaitility.await().atMost(DEAD_LETTER_WAIT).until(() -> {
                for (String queue : List.of(Topology.API_EVENTS_QUEUE, Topology.API_SNAPSHOT_QUEUE)) {
                    for (Message dead = rabbit.receive(Topology.deadLetterQueue(queue)); dead != null;
                            dead = rabbit.receive(Topology.deadLetterQueue(queue))) {
                        deadLettered.add(dead.getMessageProperties().getMessageId());
                    }
                }
                return deadLettered.containsAll(ids.keySet());
            });
        } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
            // reported below, with which messages were not dead-lettered
        }
        Map<String, String> after = RedisDump.of(redis.commands(), redis.keyPrefix());
        List<String> notDeadLettered = new ArrayList<>();
        ids.forEach((id, what) -> {
            if (!deadLettered.contains(id)) {
                notDeadLettered.add(what);
            }
        });
        Set<String> changed = changedKeys(before, after);
        System.out.printf("%n[security] %s%n[security] sent %d, dead-lettered %d, not dead-lettered %d, Redis keys changed %d%n",
                title, ids.size(), ids.size() - notDeadLettered.size(), notDeadLettered.size(), changed.size());

        assertThat(notDeadLettered).as("hostile messages not in a dead-letter queue within %s", DEAD_LETTER_WAIT).isEmpty();
        assertThat(changed.stream().map(key -> key + ": " + before.get(key) + " -> " + after.get(key)))
                .as("Redis keys changed by hostile messages").isEmpty();
    }
}
