package org.vlab.ipam.api.redis;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Duration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * On Redis Cluster ({@code spring.data.redis.cluster.nodes}) the API must follow a failover
 * within seconds. Commands to a lost master are rejected at once (503, see
 * {@link FailFastRedisConnections}), so the topology has to be read again as soon as the replica
 * is promoted: every adaptive trigger (MOVED, ASK, reconnect attempts, uncovered slots, unknown
 * nodes) refreshes it, at most once a second rather than Lettuce's once in 30 s, which would keep
 * a whole gateway's slot answering 503 for half a minute after a two-second failover. A
 * periodic refresh every 30 s catches what no command noticed.
 */
@Configuration(proxyBeanMethods = false)
class ClusterFailoverConfiguration {

    static final Duration ADAPTIVE_REFRESH_AT_MOST_EVERY = Duration.ofSeconds(1);
    static final Duration PERIODIC_REFRESH = Duration.ofSeconds(30);

    @Bean
    static LettuceClientOptionsBuilderCustomizer followClusterFailovers() {
        return builder -> {
            if (builder instanceof ClusterClientOptions.Builder cluster) {
                cluster.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_AT_MOST_EVERY)
                        .refreshTriggersReconnectAttempts(1)
                        .enablePeriodicRefresh(PERIODIC_REFRESH)
                        .dynamicRefreshSources(true)
                        .closeStaleConnections(true)
                        .build());
            }
        };
    }
}
