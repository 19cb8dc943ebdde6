package org.vlab.ipam.api.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.GatewayState;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.SnapshotRequested;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * Plays a gateway's firewall agent over the real broker: consumes the gateway's commands from
 * its own queue and answers as told (apply, fail, or stay silent). No firewall is touched.
 */
public final class FakeAgent implements AutoCloseable {

    public enum Mode { APPLY, FAIL, SILENT }

    private final GatewayId gateway;
    private final CachingConnectionFactory connectionFactory;
    private final ConfirmingPublisher publisher;
    private final SimpleMessageListenerContainer container;
    private final List<PortMapRequested> received = new CopyOnWriteArrayList<>();
    private final List<String> receivedJson = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.APPLY;
    private volatile String failure = "iptables-restore: line 3 failed";
    private volatile Duration delay = Duration.ZERO;

    public FakeAgent(CachingConnectionFactory connectionFactory, GatewayId gateway) {
        this.gateway = gateway;
        this.connectionFactory = connectionFactory;
        this.publisher = new ConfirmingPublisher(connectionFactory, "fake-agent", Duration.ofSeconds(10));
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        IpamTopology.declare(admin, IpamTopology.exchanges());
        IpamTopology.declare(admin, IpamTopology.queue(Topology.agentQueue(gateway), Topology.COMMANDS_EXCHANGE,
                Topology.gatewayRoutingKey(gateway, "portmap")));
        IpamMessageConverter converter = new IpamMessageConverter();
        container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.agentQueue(gateway));
        container.setMessageListener(message -> {
            receivedJson.add(new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8));
            PortMapRequested command = (PortMapRequested) converter.fromMessage(message);
            received.add(command);
            if (delay.isZero()) {
                answer(command);
            } else {
                CompletableFuture.runAsync(() -> answer(command),
                        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
                        .exceptionally(e -> {
                            System.err.println("[fake-agent] could not answer " + command + ": " + e);
                            return null;
                        });
            }
        });
        container.start();
    }

    public static FakeAgent start(CachingConnectionFactory connectionFactory, String gateway) {
        return new FakeAgent(connectionFactory, GatewayId.of(gateway));
    }

    public FakeAgent mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Answers each command this long after it came (as an agent busy with a long transaction). */
    public FakeAgent answerAfter(Duration delay) {
        this.delay = delay;
        return this;
    }

    public FakeAgent failWith(String reason) {
        this.failure = reason;
        return mode(Mode.FAIL);
    }

    public List<PortMapRequested> received() {
        return List.copyOf(received);
    }

    /** The commands as they came over the wire, to compare byte for byte. */
    public List<String> receivedJson() {
        return List.copyOf(receivedJson);
    }

    private void answer(PortMapRequested command) {
        Instant now = Instant.now();
        switch (mode) {
            case SILENT -> { }
            case FAIL -> publisher.publish(new PortMapFailed(gateway, command.connPort(), command.generation(),
                    command.action(), failure, now)).join();
            case APPLY -> publisher.publish(command.action() == PortMapRequested.Action.CREATE
                    ? new PortMapApplied(gateway, command.connPort(), command.generation(), now)
                    : new PortMapRemoved(gateway, command.connPort(), command.generation(), now, command.reason())).join();
        }
    }

    /** Publishes an answer of its own making, as an agent settling from its snapshot does, and waits for the confirm. */
    public void publish(org.vlab.ipam.events.IpamMessage answer) {
        publisher.publish(answer).join();
    }

    public void heartbeat(String wanAddress, String... labNetworks) {
        publisher.publish(new GatewayHeartbeat(gateway, wanAddress == null ? null : Ipv4Address.of(wanAddress),
                java.util.Arrays.stream(labNetworks).map(LabNetwork::of).toList(), "iptables", 0, 0, "test",
                Instant.now())).join();
    }

    /** A heartbeat that reports the agent's state: degraded with {@code reason}, or ok when the reason is null. */
    public void heartbeatInState(String reason, String wanAddress) {
        publisher.publish(new GatewayHeartbeat(gateway, Ipv4Address.of(wanAddress), List.of(), "iptables", 0, 0,
                "test", Instant.now(), reason == null ? GatewayState.OK : GatewayState.DEGRADED, reason)).join();
    }

    /** Asks the API for the gateway's snapshot as a real agent does: request on api.snapshot, answer by direct reply-to. */
    public SnapshotTaken requestSnapshot() {
        RabbitTemplate template = new RabbitTemplate(connectionFactory);
        template.setMessageConverter(new IpamMessageConverter());
        template.setReplyTimeout(TimeUnit.SECONDS.toMillis(10));
        Object answer = template.convertSendAndReceive(Topology.COMMANDS_EXCHANGE, Topology.SNAPSHOT_ROUTING_KEY,
                new SnapshotRequested(gateway, "fake-agent", Instant.now()), message -> {
                    message.getMessageProperties().setContentType(MessageProperties.CONTENT_TYPE_JSON);
                    return message;
                });
        if (answer == null) {
            throw new AssertionError("no snapshot answer within 10 s");
        }
        return (SnapshotTaken) answer;
    }

    @Override
    public void close() {
        container.stop();
    }
}
