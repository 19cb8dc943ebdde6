package org.vlab.ipam.health.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * Plays the API's side of snapshot requests over the real broker, as ipam-api's
 * SnapshotResponder does: consumes {@code ipam.api.snapshot} and answers the request's
 * reply-to with the mappings the test set.
 */
public final class SnapshotAnswers implements AutoCloseable {

    private final GatewayId gateway;
    private final ConfirmingPublisher publisher;
    private final SimpleMessageListenerContainer container;
    private final List<MappingSnapshot> mappings = new CopyOnWriteArrayList<>();
    private final List<SnapshotRequested> requests = new CopyOnWriteArrayList<>();
    private final List<String> userIds = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger connPorts = new AtomicInteger(50000);

    public SnapshotAnswers(CachingConnectionFactory connectionFactory, GatewayId gateway) {
        this.gateway = gateway;
        this.publisher = new ConfirmingPublisher(connectionFactory, "test-api", Duration.ofSeconds(10));
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        IpamTopology.declare(admin, IpamTopology.exchanges());
        IpamTopology.declare(admin, IpamTopology.queue(Topology.API_SNAPSHOT_QUEUE, Topology.COMMANDS_EXCHANGE,
                Topology.SNAPSHOT_ROUTING_KEY));
        IpamMessageConverter converter = new IpamMessageConverter();
        container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.API_SNAPSHOT_QUEUE);
        container.setMessageListener(message -> answer((SnapshotRequested) converter.fromMessage(message), message));
        container.start();
    }

    private void answer(SnapshotRequested request, Message message) {
        requests.add(request);
        // null when the request carried no user_id; RabbitMQ refuses one naming another user
        userIds.add(String.valueOf(message.getMessageProperties().getReceivedUserId()));
        String correlationId = message.getMessageProperties().getCorrelationId();
        SnapshotTaken snapshot = new SnapshotTaken(request.gateway(), generation.get(),
                request.gateway().equals(gateway) ? List.copyOf(mappings) : List.of(), Instant.now());
        // As ipam-api's SnapshotResponder: an unroutable reply is dropped, never retried.
        // RabbitMQ 3.10 returns mandatory replies to direct reply-to even when it delivered them.
        publisher.reply(snapshot, message.getMessageProperties().getReplyTo(),
                correlationId == null ? message.getMessageProperties().getMessageId() : correlationId)
                .exceptionally(unroutable -> null).join();
    }

    /** Records a tcp mapping to {@code address:port} in the given state; returns its connection port. */
    public ConnPort record(String address, int port, MappingState state) {
        return record(address, port, Protocol.TCP, state);
    }

    /** Records a mapping of {@code protocol} to {@code address:port} in the given state; returns its connection port. */
    public ConnPort record(String address, int port, Protocol protocol, MappingState state) {
        ConnPort connPort = ConnPort.of(connPorts.incrementAndGet());
        mappings.add(new MappingSnapshot(connPort, new PortMapTarget(LabAddress.of(address), TargetPort.of(port),
                MachineName.of("m" + connPort), Component.of("Linux"), protocol, AllowedSources.ANY),
                generation.incrementAndGet(), state));
        return connPort;
    }

    /** Forgets every mapping to {@code address}. */
    public void forget(String address) {
        List<MappingSnapshot> gone = new ArrayList<>();
        for (MappingSnapshot mapping : mappings) {
            if (mapping.target().addr().toString().equals(address)) {
                gone.add(mapping);
            }
        }
        mappings.removeAll(gone);
        generation.incrementAndGet();
    }

    public List<SnapshotRequested> requests() {
        return List.copyOf(requests);
    }

    /** The broker-validated {@code user_id} of each request, in order ("null" for none). */
    public List<String> userIds() {
        return List.copyOf(userIds);
    }

    @Override
    public void close() {
        container.stop();
    }
}
