package org.vlab.ipam.bench.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.vlab.ipam.bench.fleet.FleetAgents;
import org.vlab.ipam.bench.load.Operation;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * The API's side of a create without the API: publish a {@code portmap.requested} with
 * confirm and mandatory flag to one gateway's agent, and wait until its
 * {@code portmap.applied} comes back through a quorum queue bound as the API's events queue
 * is. The fleet answers as it answers the API, so the difference between this and a REST
 * create is what the API adds (HTTP, auth, Redis scripts, waiting).
 */
public final class BrokerRoundTrips implements Operation {

    /** The queue standing in for the API's events queue; removed on close. */
    static final String ANSWERS_QUEUE = "bench.baseline.events";

    private final List<GatewayId> gateways;
    private final int generationBase;
    private final CachingConnectionFactory publishing;
    private final ConfirmingPublisher publisher;
    private final Channel consuming;
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();

    private BrokerRoundTrips(FleetAgents fleet, int generationBase) throws IOException {
        this.gateways = fleet.gateways();
        this.generationBase = generationBase;
        this.publishing = fleet.connectionFactory();
        this.publisher = new ConfirmingPublisher(publishing, "bench-baseline", Duration.ofSeconds(10));
        IpamTopology.declare(new RabbitAdmin(publishing), IpamTopology.queue(ANSWERS_QUEUE, Topology.EVENTS_EXCHANGE,
                MessageType.PORTMAP_APPLIED.anyGatewayPattern()));
        this.consuming = fleet.openChannel();
        consuming.basicQos(256);
        consuming.basicConsume(ANSWERS_QUEUE, false, new Collecting(consuming));
    }

    /**
     * Commands to the fleet's gateways over the fleet's own connections (a broker busy starting
     * a thousand quorum queues is slow to accept new ones); {@code generationBase} keeps each
     * run's generations apart, so no answer is taken for another run's.
     */
    public static BrokerRoundTrips open(FleetAgents fleet, int generationBase) {
        try {
            return new BrokerRoundTrips(fleet, generationBase);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the baseline on the fleet's broker", e);
        }
    }

    @Override
    public CompletableFuture<String> start(int index) {
        GatewayId gateway = gateways.get(index % gateways.size());
        ConnPort port = ConnPort.of(50000 + (index / gateways.size()) % 10000);
        long generation = generationBase + index + 1L;
        CompletableFuture<String> answer = new CompletableFuture<>();
        String key = key(gateway.value(), port.value(), generation);
        waiting.put(key, answer);
        PortMapTarget target = new PortMapTarget(LabAddress.of("192.168.1." + (10 + index % 200)), TargetPort.of(22),
                MachineName.of("baseline" + index), Component.of("bench"));
        return publisher.publish(PortMapRequested.create(gateway, port, generation, target, Instant.now()))
                .thenCompose(confirmed -> answer)
                .orTimeout(10, TimeUnit.SECONDS)
                .whenComplete((result, error) -> waiting.remove(key));
    }

    private static String key(String gateway, int port, long generation) {
        return gateway + ":" + port + ":" + generation;
    }

    /** Completes the waiting round trip of each answer, then acknowledges it, as the API's consumer does. */
    private final class Collecting extends DefaultConsumer {

        Collecting(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            var applied = org.vlab.ipam.events.IpamJson.mapper().readTree(body);
            CompletableFuture<String> answer = waiting.get(key(applied.get("gateway").asString(),
                    applied.get("conn_port").asInt(), applied.get("generation").asLong()));
            getChannel().basicAck(envelope.getDeliveryTag(), false);
            if (answer != null) {
                answer.complete(null);
            }
        }
    }

    @Override
    public void close() {
        try {
            consuming.close();
        } catch (IOException | TimeoutException | com.rabbitmq.client.AlreadyClosedException ignored) {
            // closing anyway
        }
        RabbitAdmin admin = new RabbitAdmin(publishing);
        admin.deleteQueue(ANSWERS_QUEUE);
        admin.deleteQueue(Topology.deadLetterQueue(ANSWERS_QUEUE));
    }
}
