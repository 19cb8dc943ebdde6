package org.vlab.ipam.agent.commands;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Conntrack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.agent.reconcile.AnswerPublisher;
import org.vlab.ipam.agent.reconcile.FirewallSync;
import org.vlab.ipam.agent.reconcile.GatewayCondition;
import org.vlab.ipam.agent.reconcile.PortLedger;
import org.vlab.ipam.agent.reconcile.SyncLoop;
import org.vlab.ipam.agent.reconcile.TargetPolicy;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * The command listener returns at once and answers after the sync; no exception is lost: a
 * command it cannot handle is logged and returned to the queue, and it carries on.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandListenerTests {

    private static final GatewayId GATEWAY = GatewayId.of("alice");
    private final AtomicBoolean interfacesReadable = new AtomicBoolean(false);
    private final HostAddresses host = new HostAddresses() {
        @Override
        public Set<Ipv4Address> all() {
            if (!interfacesReadable.get()) {
                throw new IllegalStateException("cannot list the host's network interfaces");
            }
            return Set.of(Ipv4Address.parse("192.168.1.1"));
        }

        @Override
        public List<Ipv4Address> on(String interfaceName) {
            return List.of();
        }

        @Override
        public List<LabNetwork> networksOn(String interfaceName) {
            return List.of();
        }
    };
    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final SyncLoop loop = new SyncLoop(new FirewallSync(ledger,
            new Iptables((command, stdin, timeout) -> new CommandRunner.Completed(0, "", ""), IptablesVariant.DEFAULT),
            new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20)),
            new GatewayCondition(Clock.systemUTC()),
                new Conntrack((c, in, t) -> new CommandRunner.Completed(0, "", ""), new SimpleMeterRegistry())), Duration.ofSeconds(1));
    private final MessagePublisher publisher = mock(MessagePublisher.class);
    private final CommandListener listener = listener(List.of());

    private CommandListener listener(List<String> publishers) {
        return new CommandListener(GATEWAY, publishers, ledger, new TargetPolicy(List.of(LabNetwork.of("192.168.1.0/24")),
                new PortRange(50000, 50100), InterfaceName.of("eth0"), host), loop, new AnswerPublisher(publisher),
                Clock.fixed(Instant.parse("2026-12-04T08:00:00Z"), ZoneOffset.UTC), Runnable::run);
    }

    @BeforeEach
    void knowTheDesiredState() {
        ledger.merge(new SnapshotTaken(GATEWAY, 0, List.of(), Instant.parse("2026-12-04T08:00:00Z")), null);
    }

    @Test
    void aCommandThatFailsIsLoggedAndNackedAndTheNextOneIsHandled(CapturedOutput output) throws IOException {
        Channel channel = mock(Channel.class);
        org.mockito.Mockito.when(publisher.publish(org.mockito.ArgumentMatchers.any(IpamMessage.class),
                org.mockito.ArgumentMatchers.any())).thenReturn(CompletableFuture.completedFuture(null));
        loop.start();
        try {
            listener.onMessage(command(50001, 1, 11), channel);
            listener.onMessage(command(50002, 2, 12), channel);

            verify(channel).basicNack(11, false, true);
            verify(channel).basicNack(12, false, true);
            verify(channel, never()).basicAck(11, false);
            assertThat(output.getOut()).contains("could not handle a command (delivery 11)",
                    "cannot list the host's network interfaces");

            interfacesReadable.set(true);
            listener.onMessage(command(50003, 3, 13), channel);

            verify(channel, timeout(5000)).basicAck(13, false);
            verify(publisher).publish(org.mockito.ArgumentMatchers.any(PortMapApplied.class),
                    org.mockito.ArgumentMatchers.any());
        } finally {
            loop.stop();
        }
    }

    @Test
    void theListenerReturnsBeforeTheSyncAndAcknowledgesOnlyAfterTheAnswerIsConfirmed() throws IOException {
        Channel channel = mock(Channel.class);
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        org.mockito.Mockito.when(publisher.publish(org.mockito.ArgumentMatchers.any(IpamMessage.class),
                org.mockito.ArgumentMatchers.any())).thenReturn(confirm);
        interfacesReadable.set(true);
        loop.start();
        try {
            listener.onMessage(command(50001, 1, 21), channel);

            verify(publisher, timeout(5000)).publish(org.mockito.ArgumentMatchers.any(PortMapApplied.class),
                    org.mockito.ArgumentMatchers.any());
            verify(channel, never()).basicAck(21, false);

            confirm.complete(null);

            verify(channel, timeout(5000)).basicAck(21, false);
        } finally {
            loop.stop();
        }
    }

    @Test
    void onlyTheConfiguredPublishersCommandTheAgent(CapturedOutput output) throws IOException {
        Channel channel = mock(Channel.class);
        org.mockito.Mockito.when(publisher.publish(org.mockito.ArgumentMatchers.any(IpamMessage.class),
                org.mockito.ArgumentMatchers.any())).thenReturn(CompletableFuture.completedFuture(null));
        interfacesReadable.set(true);
        CommandListener apiOnly = listener(List.of("ipam-api"));
        loop.start();
        try {
            apiOnly.onMessage(from("agent-bob", command(50001, 1, 31)), channel);
            apiOnly.onMessage(command(50002, 2, 32), channel);
            apiOnly.onMessage(from("ipam-api", command(50003, 3, 33)), channel);

            verify(channel).basicReject(31, false);
            verify(channel).basicReject(32, false);
            verify(channel, timeout(5000)).basicAck(33, false);
            verify(publisher, org.mockito.Mockito.times(1)).publish(org.mockito.ArgumentMatchers.<IpamMessage>argThat(
                    answer -> answer instanceof PortMapApplied applied && applied.connPort().value() == 50003),
                    org.mockito.ArgumentMatchers.any());
            verify(publisher, org.mockito.Mockito.times(1)).publish(
                    org.mockito.ArgumentMatchers.any(IpamMessage.class), org.mockito.ArgumentMatchers.any());
            assertThat(output.getOut()).contains("rejecting a command published by user 'agent-bob'",
                    "rejecting a command published by a publisher without user_id");
        } finally {
            loop.stop();
        }
    }

    private static Message from(String user, Message message) {
        message.getMessageProperties().setReceivedUserId(user);
        return message;
    }

    private static Message command(int port, long generation, long deliveryTag) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(deliveryTag);
        return new IpamMessageConverter().toMessage(PortMapRequested.create(GATEWAY, ConnPort.of(port), generation,
                target(), Instant.parse("2026-12-04T08:00:00Z")), properties);
    }

    private static PortMapTarget target() {
        return new PortMapTarget(LabAddress.of("192.168.1.10"), TargetPort.of(22), MachineName.of("vm"),
                Component.of("Linux"));
    }

}
