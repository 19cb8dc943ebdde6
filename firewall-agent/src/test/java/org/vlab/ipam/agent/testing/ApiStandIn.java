package org.vlab.ipam.agent.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * Plays the API's side of one gateway over the real broker, as ipam-api does: it declares the
 * shared exchanges and the agent's queue (as provisioning would), publishes commands with
 * generations, answers snapshot requests from its state, and applies the agent's answers with
 * the rules of portmap-confirm.lua (applied and failed only for the current generation,
 * removed for the current one or later; a mapping the agent refuses after applying it shows
 * failed and is offered in snapshots as pending, still wanted).
 */
public final class ApiStandIn implements AutoCloseable {

    /** One mapping as the API records it; {@code refused}: failed because the agent refused it after applying it. */
    public record Mapping(ConnPort port, PortMapTarget target, long generation, MappingState state, boolean refused) {

        Mapping(ConnPort port, PortMapTarget target, long generation, MappingState state) {
            this(port, target, generation, state, false);
        }
    }

    private final GatewayId gateway;
    private final ConfirmingPublisher publisher;
    private final RabbitTemplate template;
    private final IpamMessageConverter converter = new IpamMessageConverter();
    private final List<SimpleMessageListenerContainer> containers = new ArrayList<>();
    private final Map<ConnPort, Mapping> mappings = new TreeMap<>();
    private final List<IpamMessage> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger snapshotRequests = new AtomicInteger();
    private final List<String> snapshotUserIds = new CopyOnWriteArrayList<>();
    private final List<Consumer<IpamMessage>> eventListeners = new CopyOnWriteArrayList<>();
    private long generation;

    public ApiStandIn(TestVhost vhost, GatewayId gateway) {
        this.gateway = gateway;
        CachingConnectionFactory connectionFactory = vhost.connectionFactory();
        this.publisher = new ConfirmingPublisher(connectionFactory, "ipam-api", Duration.ofSeconds(10));
        this.template = new RabbitTemplate(connectionFactory);
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        IpamTopology.declare(admin, IpamTopology.exchanges());
        IpamTopology.declare(admin, IpamTopology.queue(Topology.agentQueue(gateway), Topology.COMMANDS_EXCHANGE,
                Topology.gatewayRoutingKey(gateway, "portmap")));
        IpamTopology.declare(admin, IpamTopology.queue(Topology.API_SNAPSHOT_QUEUE, Topology.COMMANDS_EXCHANGE,
                Topology.SNAPSHOT_ROUTING_KEY));
        String eventsQueue = "test.api-events." + gateway;
        IpamTopology.declare(admin, IpamTopology.queue(eventsQueue, Topology.EVENTS_EXCHANGE,
                Topology.gatewayRoutingKey(gateway, "#")));
        listen(connectionFactory, Topology.API_SNAPSHOT_QUEUE, this::answerSnapshot);
        listen(connectionFactory, eventsQueue, message -> {
            IpamMessage event = converter.fromMessage(message);
            record(event);
            eventListeners.forEach(listener -> listener.accept(event));
        });
    }

    private void listen(CachingConnectionFactory connectionFactory, String queue,
            org.springframework.amqp.core.MessageListener listener) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue);
        container.setMessageListener(listener);
        container.start();
        containers.add(container);
    }

    /** Records a create and publishes its command; returns its generation. */
    public long create(int port, PortMapTarget target) {
        return publish(port, target, MappingState.PENDING).join();
    }

    /** Records an applied mapping without any command, as if applied long ago: the agent learns it from the snapshot. */
    public synchronized void recordApplied(int port, PortMapTarget target) {
        ConnPort connPort = ConnPort.of(port);
        mappings.put(connPort, new Mapping(connPort, target, ++generation, MappingState.APPLIED));
    }

    /** Records a removal and publishes its command; returns its generation. */
    public long remove(int port) {
        return publish(port, null, MappingState.REMOVING).join();
    }

    /** Records a change and publishes its command without waiting for the broker's confirm. */
    public CompletableFuture<Long> publish(int port, PortMapTarget target, MappingState state) {
        PortMapRequested command;
        synchronized (this) {
            long next = ++generation;
            ConnPort connPort = ConnPort.of(port);
            Mapping current = mappings.get(connPort);
            PortMapTarget recorded = target != null ? target : current.target();
            // as portmap-remove.lua: a refused mapping stays refused while it is being removed
            boolean refused = state == MappingState.REMOVING && current != null && current.refused();
            mappings.put(connPort, new Mapping(connPort, recorded, next, state, refused));
            command = state == MappingState.PENDING
                    ? PortMapRequested.create(gateway, connPort, next, target, Instant.now())
                    : PortMapRequested.remove(gateway, connPort, next, Instant.now());
        }
        String id = gateway + ":" + port + ":" + command.generation() + ":" + command.action();
        return publisher.publish(command, new MessageMetadata(id, null)).thenApply(done -> command.generation());
    }

    /** Puts a message into the gateway's command queue as it is, the way a broken or confused producer could. */
    public void sendToGateway(Message message) {
        template.send(Topology.COMMANDS_EXCHANGE, Topology.gatewayRoutingKey(gateway, "portmap"), message);
    }

    /** The next message in the gateway's dead-letter queue, or null after {@code timeout}. */
    public Message deadLetter(Duration timeout) {
        return template.receive(Topology.deadLetterQueue(Topology.agentQueue(gateway)), timeout.toMillis());
    }

    public synchronized Optional<Mapping> mapping(int port) {
        return Optional.ofNullable(mappings.get(ConnPort.of(port)));
    }

    public synchronized List<Mapping> mappings() {
        return List.copyOf(mappings.values());
    }

    /** What the gateway's firewall should hold according to this API: its pending and applied mappings. */
    public synchronized List<ForwardedPort> desired() {
        return mappings.values().stream().filter(mapping -> mapping.state().wantedOnGateway())
                .map(mapping -> ForwardedPort.of(mapping.port(), mapping.target())).toList();
    }

    /** Runs {@code listener} with every event the agent publishes, on the consumer's thread, once it is recorded. */
    public void onEvent(Consumer<IpamMessage> listener) {
        eventListeners.add(listener);
    }

    public List<IpamMessage> events() {
        return List.copyOf(events);
    }

    public <T extends IpamMessage> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public Optional<GatewayHeartbeat> lastHeartbeat() {
        List<GatewayHeartbeat> heartbeats = events(GatewayHeartbeat.class);
        return heartbeats.isEmpty() ? Optional.empty() : Optional.of(heartbeats.get(heartbeats.size() - 1));
    }

    public int snapshotRequests() {
        return snapshotRequests.get();
    }

    /** The broker-validated {@code user_id} of each snapshot request, in order ("null" for none). */
    public List<String> snapshotUserIds() {
        return List.copyOf(snapshotUserIds);
    }

    private void answerSnapshot(Message message) {
        SnapshotRequested request = (SnapshotRequested) converter.fromMessage(message);
        if (!request.gateway().equals(gateway)) {
            return; // an earlier test's agent: not this API's gateway
        }
        // null when the request carried no user_id; RabbitMQ refuses one naming another user
        snapshotUserIds.add(String.valueOf(message.getMessageProperties().getReceivedUserId()));
        snapshotRequests.incrementAndGet();
        SnapshotTaken snapshot;
        synchronized (this) {
            snapshot = new SnapshotTaken(request.gateway(), generation, mappings.values().stream()
                    .map(mapping -> new MappingSnapshot(mapping.port(), mapping.target(), mapping.generation(),
                            mapping.state() == MappingState.FAILED && mapping.refused() ? MappingState.PENDING
                                    : mapping.state()))
                    .toList(), Instant.now());
        }
        String correlationId = message.getMessageProperties().getCorrelationId();
        // a requester that is gone (killed) cannot be answered; the API drops such answers too
        publisher.reply(snapshot, message.getMessageProperties().getReplyTo(),
                correlationId == null ? message.getMessageProperties().getMessageId() : correlationId)
                .exceptionally(gone -> null).join();
    }

    private synchronized void record(IpamMessage event) {
        events.add(event);
        if (event instanceof PortMapApplied applied) {
            Mapping current = mappings.get(applied.connPort());
            if (current != null && current.generation() == applied.generation()
                    && (current.state() == MappingState.PENDING
                            || current.state() == MappingState.FAILED && current.refused())) {
                mappings.put(applied.connPort(), new Mapping(current.port(), current.target(), current.generation(),
                        MappingState.APPLIED));
            }
        } else if (event instanceof PortMapFailed failed) {
            Mapping current = mappings.get(failed.connPort());
            if (current != null && current.generation() == failed.generation()) {
                if (failed.action() == PortMapRequested.Action.CREATE && current.state() == MappingState.PENDING) {
                    mappings.remove(failed.connPort());
                } else if (failed.action() == PortMapRequested.Action.CREATE && current.state() == MappingState.APPLIED) {
                    mappings.put(failed.connPort(), new Mapping(current.port(), current.target(), current.generation(),
                            MappingState.FAILED, true));
                } else if (failed.action() == PortMapRequested.Action.REMOVE && current.state() == MappingState.REMOVING) {
                    mappings.put(failed.connPort(), new Mapping(current.port(), current.target(), current.generation(),
                            MappingState.FAILED));
                }
            }
        } else if (event instanceof PortMapRemoved removed) {
            Mapping current = mappings.get(removed.connPort());
            if (current != null && removed.generation() >= current.generation()) {
                mappings.remove(removed.connPort());
            }
        }
    }

    @Override
    public void close() {
        containers.forEach(SimpleMessageListenerContainer::stop);
    }
}
