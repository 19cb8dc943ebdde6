package org.vlab.ipam.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.health.testing.ReachabilityTap;
import org.vlab.ipam.health.testing.RunningWorker;
import org.vlab.ipam.health.testing.ScriptedNetwork;
import org.vlab.ipam.health.testing.SnapshotAnswers;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.RabbitManagement;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The worker as the README's RabbitMQ section grants it: it declares and reads nothing (its
 * snapshot answers come through direct reply-to) and may publish only its gateway's
 * reachability and snapshot requests, yet gets its snapshot and publishes its events.
 */
@IntegrationTest
class LeastPermissionsTests {

    @Test
    void probesAndPublishesWithNoConfigureOrReadPermissionAtAll(TestVhost vhost) {
        GatewayId gateway = GatewayId.of(TestRedis.uniqueName("gw"));
        RabbitManagement management = vhost.endpoint().management();
        String user = "health-" + gateway;
        String password = UUID.randomUUID().toString();
        management.createUser(user, password);
        try (SnapshotAnswers api = new SnapshotAnswers(vhost.connectionFactory(), gateway);
                ReachabilityTap tap = new ReachabilityTap(vhost.connectionFactory(), gateway)) {
            management.setPermissions(vhost.name(), user, "^$", "^vlab\\.ipam\\.(commands|events)$", "^$");
            management.setTopicPermissions(vhost.name(), user, Topology.COMMANDS_EXCHANGE, "^api\\.snapshot$", "^$");
            management.setTopicPermissions(vhost.name(), user, Topology.EVENTS_EXCHANGE,
                    "^gateway\\." + gateway + "\\.reachability$", "^$");
            api.record("192.168.1.20", 22, MappingState.APPLIED);
            Map<String, String> settings = Map.of("probe-period", "1s", "probe-timeout", "200ms",
                    "declare-topology", "own-queues", "spring.rabbitmq.username", user,
                    "spring.rabbitmq.password", password);

            try (RunningWorker worker = RunningWorker.start(vhost, gateway, settings, new ScriptedNetwork())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> tap.about("192.168.1.20").size() >= 2);

                assertThat(api.userIds()).as("the snapshot requests came from the restricted user").containsOnly(user);
            }
        } finally {
            management.deleteUser(user);
        }
    }
}
