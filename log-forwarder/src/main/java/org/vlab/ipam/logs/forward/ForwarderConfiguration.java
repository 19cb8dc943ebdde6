package org.vlab.ipam.logs.forward;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.logs.LogForwarderProperties;
import org.vlab.ipam.logs.parse.FirewallLineParser;
import org.vlab.ipam.logs.tail.LocalLogFiles;
import org.vlab.ipam.logs.tail.LogFiles;
import org.vlab.ipam.logs.tail.LogTailer;
import org.vlab.ipam.messaging.IpamTopology;
import org.vlab.ipam.messaging.MessagePublisher;

/** The forwarder's parts, put together from the configuration. */
@Configuration(proxyBeanMethods = false)
class ForwarderConfiguration {

    /** The first wait after a failed publish; it doubles up to {@code ipam.publish-retry-max}. */
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The central queue every gateway's batches reach (a quorum queue with its dead-letter
     * queue), declared unless {@code ipam.declare-topology} is {@code none}: where the broker's
     * definitions provide it, the forwarder's user needs no configure permission.
     */
    @Bean
    Declarables centralLogQueue() {
        return IpamTopology.queue(Topology.CENTRAL_LOG_QUEUE, Topology.LOGS_EXCHANGE,
                MessageType.FIREWALL_LOG_BATCH.anyGatewayPattern());
    }

    @Bean
    ForwarderMetrics forwarderMetrics(MeterRegistry registry) {
        return new ForwarderMetrics(registry);
    }

    @Bean
    ForwardingHealth forwardingHealthIndicator(ForwarderLifecycle lifecycle) {
        return new ForwardingHealth(lifecycle, lifecycle.forwarder());
    }

    @Bean(destroyMethod = "close")
    PublishingChannel publishingChannel(CachingConnectionFactory connectionFactory,
            CachingConnectionFactoryConfigurer configurer, @Value("${spring.application.name}") String applicationName) {
        return new PublishingChannel(connectionFactory, configurer, applicationName);
    }

    @Bean
    ForwarderLifecycle logForwarder(LogForwarderProperties properties, PublishingChannel channel, Clock clock,
            ForwarderMetrics metrics) {
        MessagePublisher publisher = channel.publisher();
        LogFiles files = new LocalLogFiles(metrics);
        // waits are measured on a clock a wall-clock step cannot move; log times use the wall clock
        Clock waits = MonotonicClock.system();
        LineSource.Opener opener = checkpoint -> new TailedLines(new LogTailer(files, properties.logFile(), waits,
                properties.logPollInterval(), properties.logRotationGrace(), checkpoint.map(Checkpoint::resume).orElse(null),
                metrics));
        FirewallLineParser parser = new FirewallLineParser(properties.gatewayId(), properties.logTimeZone(), clock);
        BatchSettings settings = new BatchSettings(properties.batchSize(), properties.batchLinger(),
                properties.logPollInterval(), RETRY_FIRST, properties.publishRetryMax(), properties.batchesInFlight());
        CheckpointStore checkpoints = new FileCheckpointStore(properties.stateDir(), properties.logFile());
        return new ForwarderLifecycle(new LogForwarder(opener, parser, publisher, checkpoints,
                properties.gatewayId(), settings, waits, Pause.SLEEP, metrics));
    }
}
