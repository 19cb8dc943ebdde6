package org.vlab.ipam.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

@ClusterTest
class LocalClustersTests {

    private final LocalClusters clusters = LocalClusters.get();

    @Test
    void redisClusterHasThreeMastersEachWithAReplicaCoveringEverySlot() {
        RedisClusterClient client = RedisClusterClient.create(
                clusters.redisNodes().stream().map(node -> RedisURI.create("redis://" + node)).toList());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            List<RedisClusterNode> nodes = connection.getPartitions().getPartitions();
            List<RedisClusterNode> masters = nodes.stream().filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM)).toList();

            assertThat(masters).hasSize(3);
            assertThat(masters.stream().mapToInt(node -> node.getSlots().size()).sum()).isEqualTo(16384);
            assertThat(nodes).filteredOn(node -> node.is(RedisClusterNode.NodeFlag.REPLICA)).hasSize(3)
                    .extracting(RedisClusterNode::getSlaveOf).containsExactlyInAnyOrderElementsOf(
                            masters.stream().map(RedisClusterNode::getNodeId).toList());
            connection.sync().set("{local-clusters-test}:a", "1");
            assertThat(connection.sync().get("{local-clusters-test}:a")).isEqualTo("1");
            connection.sync().del("{local-clusters-test}:a");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void sentinelsNameAWritableMasterWithOneReplica() {
        RedisURI.Builder uri = RedisURI.builder();
        clusters.sentinelNodes().forEach(node -> uri.withSentinel(node.substring(0, node.indexOf(':')),
                Integer.parseInt(node.substring(node.indexOf(':') + 1))));
        RedisClient client = RedisClient.create(uri.withSentinelMasterId(clusters.sentinelMaster()).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().set("local-clusters-test", "1");

            assertThat(connection.sync().get("local-clusters-test")).isEqualTo("1");
            assertThat(connection.sync().info("replication")).contains("role:master").contains("connected_slaves:1");
            assertThat(clusters.sentinelMasterPort()).isIn(7201, 7202);
            connection.sync().del("local-clusters-test");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aQuorumQueueKeepsItsMessagesWhenTheNodeItWasDeclaredOnStops() {
        String queue = "local-clusters-test-" + System.nanoTime();
        CachingConnectionFactory viaNodeOne = connectionTo("127.0.0.1:5701");
        CachingConnectionFactory viaTheOthers = connectionTo("127.0.0.1:5702,127.0.0.1:5703");
        try {
            new RabbitAdmin(viaNodeOne).declareQueue(new Queue(queue, true, false, false, Map.of("x-queue-type", "quorum")));
            new RabbitTemplate(viaNodeOne).send(queue, new Message("kept".getBytes(StandardCharsets.UTF_8), new MessageProperties()));

            clusters.stopRabbitApp(1);
            RabbitTemplate other = new RabbitTemplate(viaTheOthers);
            other.setReceiveTimeout(Duration.ofSeconds(10).toMillis());
            Message received = other.receive(queue);

            assertThat(received).isNotNull();
            assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).isEqualTo("kept");
        } finally {
            clusters.startRabbitApp(1);
            new RabbitAdmin(viaTheOthers).deleteQueue(queue);
            viaNodeOne.destroy();
            viaTheOthers.destroy();
        }
    }

    private static CachingConnectionFactory connectionTo(String addresses) {
        CachingConnectionFactory factory = new CachingConnectionFactory();
        factory.setAddresses(addresses);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }
}
