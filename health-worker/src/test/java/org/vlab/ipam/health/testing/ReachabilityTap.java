package org.vlab.ipam.health.testing;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * A subscriber as the README describes one: its own queue bound to {@code vlab.ipam.events}
 * with {@code gateway.<id>.reachability}, reading every event in arrival order.
 */
public final class ReachabilityTap implements AutoCloseable {

    private final SimpleMessageListenerContainer container;
    private final List<ReachabilityObserved> events = new CopyOnWriteArrayList<>();
    private final List<String> types = new CopyOnWriteArrayList<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

    /** An event and when this subscriber received it. */
    public record Arrival(ReachabilityObserved event, Instant at) {
    }

    public ReachabilityTap(CachingConnectionFactory connectionFactory, GatewayId gateway) {
        String queue = "test.reachability." + gateway;
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        IpamTopology.declare(admin, IpamTopology.exchanges());
        IpamTopology.declare(admin, IpamTopology.queue(queue, Topology.EVENTS_EXCHANGE,
                Topology.gatewayRoutingKey(gateway, "reachability")));
        IpamMessageConverter converter = new IpamMessageConverter();
        container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue);
        container.setMessageListener(message -> {
            types.add(message.getMessageProperties().getType());
            ReachabilityObserved event = (ReachabilityObserved) converter.fromMessage(message);
            events.add(event);
            arrivals.add(new Arrival(event, Instant.now()));
        });
        container.start();
    }

    public List<ReachabilityObserved> events() {
        return List.copyOf(events);
    }

    /** The events about one address, in the order they arrived. */
    public List<ReachabilityObserved> about(String address) {
        return events.stream().filter(event -> event.address().toString().equals(address)).toList();
    }

    /** The events about one address with their arrival times, in the order they arrived. */
    public List<Arrival> arrivals(String address) {
        return arrivals.stream().filter(arrival -> arrival.event().address().toString().equals(address)).toList();
    }

    /** Whether the address answered any probe of this event (an echo, a handshake or a reset). */
    public static boolean answered(ReachabilityObserved event) {
        return (event.icmp() != null && event.icmp().received() > 0) || event.tcp().stream()
                .anyMatch(tcp -> tcp.outcome() == ProbeOutcome.ANSWERED || tcp.outcome() == ProbeOutcome.REFUSED);
    }

    /**
     * The events about {@code address} from its first unanswered one on, as long as they stay
     * unanswered: the run of cycles after a host went silent. A cycle that was under way when
     * it went silent may have seen an answer to one probe; it counts as answered, as for the worker.
     */
    public List<ReachabilityObserved> silentRun(String address) {
        List<ReachabilityObserved> all = about(address);
        int start = 0;
        while (start < all.size() && answered(all.get(start))) {
            start++;
        }
        int end = start;
        while (end < all.size() && !answered(all.get(end))) {
            end++;
        }
        return all.subList(start, end);
    }

    /** The events about {@code address} after its silent run ended (empty while it lasts). */
    public List<ReachabilityObserved> afterSilentRun(String address) {
        List<ReachabilityObserved> all = about(address);
        List<ReachabilityObserved> silent = silentRun(address);
        if (silent.isEmpty()) {
            return List.of();
        }
        int after = all.indexOf(silent.get(silent.size() - 1)) + 1;
        return after < all.size() ? all.subList(after, all.size()) : List.of();
    }

    /** Whether every message was typed {@code reachability.observed} on the wire. */
    public boolean allTypedAsReachability() {
        return types.stream().allMatch(MessageType.REACHABILITY_OBSERVED.wireName()::equals);
    }

    @Override
    public void close() {
        container.stop();
    }
}
