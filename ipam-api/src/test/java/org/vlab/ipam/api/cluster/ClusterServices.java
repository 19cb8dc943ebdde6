package org.vlab.ipam.api.cluster;

import java.util.HashMap;
import java.util.Map;
import org.springframework.web.reactive.function.client.WebClient;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.testsupport.LocalClusters;
import org.vlab.ipam.testsupport.TestVhost;

/** Where API replicas under test find the local clusters: every Redis node and every RabbitMQ node. */
record ClusterServices(LocalClusters clusters, TestVhost vhost) {

    static ClusterServices start(String hint) {
        LocalClusters clusters = LocalClusters.get();
        return new ClusterServices(clusters, clusters.rabbitNode(1).newVhost(hint));
    }

    /** On the Redis Cluster. */
    Map<String, Object> springProperties() {
        Map<String, Object> services = rabbitProperties();
        services.put("spring.data.redis.cluster.nodes", String.join(",", clusters.redisNodes()));
        return services;
    }

    /** On the Redis master the sentinels name. */
    Map<String, Object> sentinelProperties() {
        Map<String, Object> services = rabbitProperties();
        services.put("spring.data.redis.sentinel.master", clusters.sentinelMaster());
        services.put("spring.data.redis.sentinel.nodes", String.join(",", clusters.sentinelNodes()));
        return services;
    }

    private Map<String, Object> rabbitProperties() {
        Map<String, Object> services = new HashMap<>();
        services.put("spring.rabbitmq.addresses", clusters.rabbitAddresses());
        services.put("spring.rabbitmq.username", "guest");
        services.put("spring.rabbitmq.password", "guest");
        services.put("spring.rabbitmq.virtual-host", vhost.name());
        return services;
    }

    static WebClient client(ApiReplica replica, TestTokens tokens, String gateway) {
        return WebClient.builder().baseUrl("http://127.0.0.1:" + replica.port())
                .defaultHeader("X-Auth", tokens.token(gateway)).build();
    }
}
