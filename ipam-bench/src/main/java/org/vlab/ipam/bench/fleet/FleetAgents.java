package org.vlab.ipam.bench.fleet;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.events.GatewayHeartbeat;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * Plays the firewall agents of many gateways in one process: each gateway's command queue is
 * declared and bound as the real agent does it, all of them are consumed over one connection
 * and a few channels, and every command is answered at once (applied or removed) through the
 * same confirming publisher the services use, then acknowledged. No firewall is touched, so
 * what is measured is everything around the agent.
 */
public final class FleetAgents implements AutoCloseable {

    /** The lab network every simulated gateway reports; targets of the load generator fall in it. */
    public static final LabNetwork LAB_NETWORK = LabNetwork.of("192.168.1.0/24");
    private static final int CONNECT_ATTEMPTS = 4;

    private final List<GatewayId> gateways;
    private final CachingConnectionFactory publishing;
    private final ConfirmingPublisher publisher;
    private final Connection consuming;
    private final IpamMessageConverter converter = new IpamMessageConverter();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();

    private FleetAgents(BrokerAddress broker, List<GatewayId> gateways, int channels) throws IOException {
        this.gateways = List.copyOf(gateways);
        this.publishing = broker.confirmingConnectionFactory("bench-fleet-answers");
        this.publisher = new ConfirmingPublisher(publishing, "bench-fleet", Duration.ofSeconds(10));
        this.consuming = connect(broker);
        RabbitAdmin admin = new RabbitAdmin(publishing);
        IpamTopology.declare(admin, IpamTopology.exchanges());
        for (GatewayId gateway : this.gateways) {
            IpamTopology.declare(admin, IpamTopology.queue(Topology.agentQueue(gateway), Topology.COMMANDS_EXCHANGE,
                    Topology.gatewayRoutingKey(gateway, "portmap")));
        }
        List<Channel> open = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            Channel channel = consuming.createChannel();
            channel.basicQos(256);
            open.add(channel);
        }
        for (int i = 0; i < this.gateways.size(); i++) {
            Channel channel = open.get(i % open.size());
            channel.basicConsume(Topology.agentQueue(this.gateways.get(i)), false, new Answering(channel));
        }
    }

    /**
     * The consuming connection, and the publishing one with it. A shared broker sometimes leaves
     * a handshake unanswered for half a minute (vhosts of other runs starting or being deleted),
     * so a few attempts are made before giving up.
     */
    private Connection connect(BrokerAddress broker) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                publishing.createConnection();
                return publishing.getRabbitConnectionFactory().newConnection("bench-fleet-commands");
            } catch (java.util.concurrent.TimeoutException | org.springframework.amqp.AmqpException | IOException e) {
                if (attempt == CONNECT_ATTEMPTS) {
                    throw new IOException("no connection to " + broker + " after " + attempt + " attempts", e);
                }
                System.err.printf("[ipam-bench] connecting to %s failed (%s); attempt %d of %d next%n", broker, e,
                        attempt + 1, CONNECT_ATTEMPTS);
            }
        }
    }

    /** Declares and consumes the queues of {@code gateways} over {@code channels} channels. */
    public static FleetAgents start(BrokerAddress broker, List<GatewayId> gateways, int channels) {
        try {
            return new FleetAgents(broker, gateways, channels);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fleet on " + broker, e);
        }
    }

    /** {@code count} gateway ids {@code <prefix>0000} upwards. */
    public static List<GatewayId> gatewayIds(String prefix, int count) {
        List<GatewayId> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(GatewayId.of(String.format("%s%04d", prefix, i)));
        }
        return ids;
    }

    /** One heartbeat per gateway, as an agent sends at start: it registers the gateway and its lab network. */
    public void heartbeats() {
        Instant now = Instant.now();
        CompletableFuture<?>[] sent = new CompletableFuture<?>[gateways.size()];
        for (int i = 0; i < gateways.size(); i++) {
            GatewayId gateway = gateways.get(i);
            sent[i] = publisher.publish(new GatewayHeartbeat(gateway, Ipv4Address.of("198.51.100." + (1 + i % 250)),
                    List.of(LAB_NETWORK), "iptables", 0, 0, "bench-fleet", now));
        }
        CompletableFuture.allOf(sent).join();
    }

    public List<GatewayId> gateways() {
        return gateways;
    }

    /** The fleet's publishing connection factory, for a baseline to publish on without connecting again. */
    public CachingConnectionFactory connectionFactory() {
        return publishing;
    }

    /** A new channel on the fleet's consuming connection, for a baseline to consume on; the caller closes it. */
    public Channel openChannel() {
        try {
            return consuming.createChannel();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a channel on the fleet's connection", e);
        }
    }

    public long answered() {
        return answered.get();
    }

    /** Commands that could not be read or whose answer the broker did not confirm. */
    public long unanswered() {
        return unanswered.get();
    }

    private IpamMessage answerTo(PortMapRequested command) {
        Instant now = Instant.now();
        return command.action() == PortMapRequested.Action.CREATE
                ? new PortMapApplied(command.gateway(), command.connPort(), command.generation(), now)
                : new PortMapRemoved(command.gateway(), command.connPort(), command.generation(), now);
    }

    private final class Answering extends DefaultConsumer {

        Answering(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            MessageProperties springProperties = new MessageProperties();
            springProperties.setType(properties.getType());
            springProperties.setContentType(properties.getContentType());
            PortMapRequested command;
            try {
                command = (PortMapRequested) converter.fromMessage(new Message(body, springProperties));
            } catch (RuntimeException unreadable) {
                unanswered.incrementAndGet();
                getChannel().basicReject(envelope.getDeliveryTag(), false);
                return;
            }
            long deliveryTag = envelope.getDeliveryTag();
            publisher.publish(answerTo(command)).whenComplete((ignored, error) -> {
                try {
                    if (error == null) {
                        answered.incrementAndGet();
                        getChannel().basicAck(deliveryTag, false);
                    } else {
                        unanswered.incrementAndGet();
                        getChannel().basicNack(deliveryTag, false, true);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Override
    public void close() {
        try {
            consuming.close();
        } catch (IOException | com.rabbitmq.client.AlreadyClosedException ignored) {
            // closing anyway
        }
        publishing.destroy();
    }
}
