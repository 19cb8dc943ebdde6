package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.api.testing.ApiClient.target;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.messaging.ConfirmingPublisher;
import org.vlab.ipam.testsupport.TestRedis;
import tools.jackson.databind.JsonNode;

/**
 * Up to {@code ipam.event-consumers} events are recorded side by side (consumers join under
 * load), and answers recorded out of order never move a mapping back: only its current
 * generation's answer counts.
 */
@TestPropertySource(properties = "ipam.event-consumers=6")
class EventConsumersTests extends LiveApiTestBase {

    @Autowired
    RabbitListenerEndpointRegistry listeners;
    @Autowired
    MeterRegistry meters;

    @Test
    void addsConsumersWhileEventsKeepThemBusyUpToTheSetting() {
        var events = (SimpleMessageListenerContainer) listeners.getListenerContainer(EventsListener.ID);
        String gateway = TestRedis.uniqueName("busy");
        agent(gateway);
        GatewayId id = GatewayId.of(gateway);
        var publisher = new ConfirmingPublisher(vhost.connectionFactory(), "test", Duration.ofSeconds(10));
        int[] most = {0};

        // answers about a port without a mapping: each costs a Redis script and changes nothing
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(publisher.publish(new PortMapApplied(id, ConnPort.of(59999), 1, Instant.now())));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            most[0] = Math.max(most[0], events.getActiveConsumerCount());
            return most[0] >= 3;
        });

        assertThat(most[0]).isBetween(3, 6);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> events.getActiveConsumerCount() <= 6);
    }

    @Test
    void staleAnswersRecordedSideBySideNeverOvertakeTheCurrentGeneration() {
        String gateway = TestRedis.uniqueName("side-by-side");
        FakeAgent agent = agent(gateway);
        int connPort = api.post(gateway, target("192.168.1.30", 22, "box", "Linux")).content().get("conn_port").asInt();
        agent.mode(FakeAgent.Mode.SILENT);
        assertThat(api.delete(gateway, connPort).status()).isEqualTo(202);
        List<PortMapRequested> commands = agent.received();
        long created = commands.get(0).generation();
        long removing = commands.get(commands.size() - 1).generation();
        assertThat(removing).isGreaterThan(created);

        GatewayId id = GatewayId.of(gateway);
        ConnPort port = ConnPort.of(connPort);
        Instant now = Instant.now();
        var publisher = new ConfirmingPublisher(vhost.connectionFactory(), "test", Duration.ofSeconds(10));
        long recordedBefore = eventsRecorded();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i == 10) {
                // the one answer about the current generation: the agent could not remove the rule
                sent.add(publisher.publish(new PortMapFailed(id, port, removing, PortMapRequested.Action.REMOVE,
                        "iptables-restore: line 4 failed", now)));
            }
            sent.add(publisher.publish(new PortMapApplied(id, port, created, now)));
            sent.add(publisher.publish(new PortMapFailed(id, port, created, PortMapRequested.Action.CREATE, "late", now)));
            sent.add(publisher.publish(new PortMapRemoved(id, port, created, now)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();

        await().atMost(Duration.ofSeconds(20)).until(() -> eventsRecorded() >= recordedBefore + sent.size());
        JsonNode mapping = api.get(gateway, "/api/1/ipam/portmap").content().get("ports").get(Integer.toString(connPort));
        assertThat(mapping).as("the mapping whose removal failed").isNotNull();
        assertThat(mapping.get("state").asString()).isEqualTo("failed");
    }

    /** Events the listener has handled so far, whatever their outcome. */
    private long eventsRecorded() {
        return meters.find("spring.rabbitmq.listener").tag("listener.id", EventsListener.ID).timers().stream()
                .mapToLong(Timer::count).sum();
    }
}
