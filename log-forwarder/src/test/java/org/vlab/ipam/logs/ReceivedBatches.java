package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.IpamTopology;

/**
 * A consumer of the log batches, as the central side would be: its own queue bound to the logs
 * exchange, every delivery kept with its message id. It checks what arrived: every line once,
 * by content, in order, once duplicates (same message id, same content) are dropped.
 */
public final class ReceivedBatches implements AutoCloseable {

    private static final String QUEUE = "test.log-batches";
    private static final Instant BASE = SampleLines.record(0, GatewayId.of("x")).time();

    public record Delivery(String messageId, FirewallLogBatch batch) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private final Set<String> messageIds = new HashSet<>();
    private final SimpleMessageListenerContainer container;
    private int records;
    private int uniqueRecords;

    public ReceivedBatches(ConnectionFactory connectionFactory, GatewayId gateway) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        IpamTopology.declare(admin, IpamTopology.exchanges());
        Queue queue = new Queue(QUEUE, true, false, false);
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(new TopicExchange(Topology.LOGS_EXCHANGE))
                .with(Topology.gatewayRoutingKey(gateway, "forward")));
        IpamMessageConverter converter = new IpamMessageConverter();
        container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(QUEUE);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setMessageListener(message -> add(new Delivery(message.getMessageProperties().getMessageId(),
                (FirewallLogBatch) converter.fromMessage(message))));
        container.start();
    }

    private synchronized void add(Delivery delivery) {
        deliveries.add(delivery);
        records += delivery.batch().records().size();
        if (messageIds.add(delivery.messageId())) {
            uniqueRecords += delivery.batch().records().size();
        }
    }

    /** Records received so far once duplicates are dropped by message id. */
    public synchronized int uniqueRecordCount() {
        return uniqueRecords;
    }

    /** Records received so far, duplicates included. */
    public synchronized int records() {
        return records;
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The deliveries whose message id came before; each must repeat its first delivery exactly. */
    public List<Delivery> duplicates() {
        Map<String, FirewallLogBatch> first = new HashMap<>();
        List<Delivery> duplicates = new ArrayList<>();
        for (Delivery delivery : deliveries()) {
            FirewallLogBatch earlier = first.putIfAbsent(delivery.messageId(), delivery.batch());
            if (earlier != null) {
                assertThat(delivery.batch()).as("a duplicate of " + delivery.messageId()).isEqualTo(earlier);
                duplicates.add(delivery);
            }
        }
        return duplicates;
    }

    /** The records once duplicates are dropped by message id, in the order they arrived. */
    public List<FirewallLogRecord> uniqueRecords() {
        Map<String, Boolean> seen = new HashMap<>();
        List<FirewallLogRecord> unique = new ArrayList<>();
        for (Delivery delivery : deliveries()) {
            if (seen.putIfAbsent(delivery.messageId(), true) == null) {
                unique.addAll(delivery.batch().records());
            }
        }
        return unique;
    }

    /** Asserts that lines 0..count-1 arrived exactly once each (after de-duplication), in order, with their content. */
    public void assertEveryLineOnceInOrder(int count, GatewayId gateway) {
        List<FirewallLogRecord> unique = uniqueRecords();
        boolean[] present = new boolean[count];
        int outOfPlace = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < unique.size(); i++) {
            FirewallLogRecord record = unique.get(i);
            int n = (int) (Duration.between(BASE, record.time()).toNanos() / 1000);
            boolean known = n >= 0 && n < count && record.equals(SampleLines.record(n, gateway));
            if (!known || present[n] || n != i) {
                outOfPlace++;
                if (examples.size() < 20) {
                    examples.add("position " + i + " holds " + (known ? "line " + n : record));
                }
            }
            if (known) {
                present[n] = true;
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int n = 0; n < count && missing.size() < 20; n++) {
            if (!present[n]) {
                missing.add(n);
            }
        }
        assertThat(missing).as("lines that never arrived (first 20)").isEmpty();
        assertThat(outOfPlace).as("records out of order, unknown or repeated; first ones: " + examples).isZero();
        assertThat(unique).as("records after dropping duplicates").hasSize(count);
    }

    @Override
    public void close() {
        container.stop();
    }
}
