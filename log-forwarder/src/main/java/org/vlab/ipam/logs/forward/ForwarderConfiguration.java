package org.vlab.ipam.logs.forward;

import com.rabbitmq.client.Address;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
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

/** The forwarder's parts, put together from the configuration. */
@Configuration(proxyBeanMethods = false)
class ForwarderConfiguration {

    /** The first wait after a failed publish; it doubles up to {@code ipam.publish-retry-max}. */
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    /** A healthy broker confirms in milliseconds; this only bounds a broker that stopped answering. */
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

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

    /**
     * The forwarder's own publisher: one channel of a connection of its own, so batches in
     * flight keep their order. It shares the application's client settings (user, virtual
     * host, heartbeat, TLS) and addresses.
     */
    @Bean(destroyMethod = "close")
    OneChannelPublisher forwarderPublisher(CachingConnectionFactory connectionFactory,
            RabbitConnectionDetails connectionDetails, @Value("${spring.application.name}") String applicationName) {
        return new OneChannelPublisher(connectionFactory.getRabbitConnectionFactory(), connectionDetails.getAddresses()
                .stream().map(address -> new Address(address.host(), address.port())).toList(), applicationName,
                CONFIRM_TIMEOUT, connectionFactory::createConnection);
    }

    /** Before anything reads or writes the state directory: one forwarder per directory. */
    @Bean(destroyMethod = "close")
    StateDirectoryLock stateDirectoryLock(LogForwarderProperties properties) {
        return StateDirectoryLock.acquire(properties.stateDir());
    }

    @Bean
    ForwarderLifecycle logForwarder(LogForwarderProperties properties, OneChannelPublisher publisher, Clock clock,
            ForwarderMetrics metrics, StateDirectoryLock stateDirectory) {
        // stateDirectory: taken before the checkpoint store below reads or writes the directory
        LogFiles files = new LocalLogFiles(metrics);
        // waits are measured on a clock a wall-clock step cannot move; log times use the wall clock
        Clock waits = MonotonicClock.system();
        LineSource.Opener opener = checkpoint -> new TailedLines(new LogTailer(files, properties.logFile(), waits,
                properties.logPollInterval(), properties.logRotationGrace(), checkpoint.map(Checkpoint::resume).orElse(null),
                metrics));
        FirewallLineParser parser = new FirewallLineParser(properties.gatewayId(), properties.logTimeZone(), clock);
        BatchSettings settings = BatchSettings.readingAhead(properties.batchSize(), properties.batchLinger(),
                properties.logPollInterval(), RETRY_FIRST, properties.publishRetryMax(), properties.batchesInFlight());
        CheckpointStore checkpoints = new FileCheckpointStore(properties.stateDir(), properties.logFile());
        return new ForwarderLifecycle(new LogForwarder(opener, parser, publisher, checkpoints,
                properties.gatewayId(), settings, waits, Pause.SLEEP, metrics), publisher::close);
    }
}
