package org.vlab.ipam.agent.commands;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.vlab.ipam.agent.reconcile.AnswerPublisher;
import org.vlab.ipam.agent.reconcile.AnswerPublisher.Answer;
import org.vlab.ipam.agent.reconcile.PortLedger;
import org.vlab.ipam.agent.reconcile.PortLedger.Offer;
import org.vlab.ipam.agent.reconcile.SyncLoop;
import org.vlab.ipam.agent.reconcile.TargetPolicy;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.messaging.IpamMessageConverter;

/**
 * Takes a batch of commands (whatever arrived together, up to the batch size): records each
 * in the ledger, waits for the one sync that covers them all, answers, and only then
 * acknowledges. Duplicates are answered again without a transaction; stale commands are
 * acknowledged unanswered; unreadable ones, and commands for another gateway, are rejected to
 * the dead-letter queue. If the batch cannot be finished it is returned to the queue.
 */
final class CommandBatchListener implements ChannelAwareBatchMessageListener {

    private static final Logger log = LoggerFactory.getLogger(CommandBatchListener.class);
    private static final Duration SYNC_WAIT = Duration.ofMinutes(5);

    private final GatewayId gateway;
    private final PortLedger ledger;
    private final TargetPolicy policy;
    private final SyncLoop loop;
    private final AnswerPublisher answers;
    private final Clock clock;
    private final IpamMessageConverter converter = new IpamMessageConverter();

    CommandBatchListener(GatewayId gateway, PortLedger ledger, TargetPolicy policy, SyncLoop loop,
            AnswerPublisher answers, Clock clock) {
        this.gateway = gateway;
        this.ledger = ledger;
        this.policy = policy;
        this.loop = loop;
        this.answers = answers;
        this.clock = clock;
    }

    private record Received(long deliveryTag, PortMapRequested command, String correlationId, Offer offer) {
    }

    @Override
    public void onMessageBatch(List<Message> messages, Channel channel) {
        // every delivery not yet acknowledged or rejected: whatever goes wrong, these are returned to the queue
        Set<Long> open = new LinkedHashSet<>();
        messages.forEach(message -> open.add(message.getMessageProperties().getDeliveryTag()));
        try {
            handle(messages, channel, open);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeue(channel, open, e);
        } catch (RuntimeException | Error e) {
            log.error("could not finish a batch of {} commands", messages.size(), e);
            requeue(channel, open, e);
        }
    }

    private void handle(List<Message> messages, Channel channel, Set<Long> open) throws InterruptedException {
        List<Received> received = new ArrayList<>();
        for (Message message : messages) {
            long tag = message.getMessageProperties().getDeliveryTag();
            PortMapRequested command = read(message);
            if (command == null) {
                settle(channel, tag, false);
                open.remove(tag);
                continue;
            }
            Offer offer = ledger.offer(command,
                    () -> policy.refusal(command.action(), command.connPort(), command.target()));
            if (offer == Offer.STALE) {
                log.info("ignoring stale {} of port {} at generation {}: a newer change is known", command.action(),
                        command.connPort(), command.generation());
            }
            received.add(new Received(tag, command, message.getMessageProperties().getCorrelationId(), offer));
        }
        // new changes, and repeats of changes a running sync has not settled yet, wait for the next sync; a change
        // that sync could not commit (transient or host-wide error) stays in the ledger, unanswered: the sync loop
        // retries it, and the reconcile after its recovery answers it
        if (received.stream().anyMatch(each -> each.offer() != Offer.STALE && !ledger.isSettled(each.command()))) {
            loop.await(loop.request(), SYNC_WAIT);
        }
        List<Answer> out = new ArrayList<>();
        for (Received each : received) {
            if (each.offer() != Offer.STALE) {
                ledger.answerFor(each.command(), clock.instant()).ifPresent(answer -> {
                    log.info("{} of port {} at generation {} ({}): {}", each.command().action(),
                            each.command().connPort(), each.command().generation(),
                            each.offer() == Offer.NEW ? "new" : "repeated", describe(answer));
                    out.add(new Answer(answer, each.correlationId()));
                });
            }
        }
        answers.publish(out);
        for (Received each : received) {
            settle(channel, each.deliveryTag(), true);
            open.remove(each.deliveryTag());
        }
    }

    private PortMapRequested read(Message message) {
        IpamMessage body;
        try {
            body = converter.fromMessage(message);
        } catch (MessageConversionException e) {
            log.warn("rejecting an unreadable command to the dead-letter queue: {}", e.getMessage());
            return null;
        }
        if (!(body instanceof PortMapRequested command) || !command.gateway().equals(gateway)) {
            log.warn("rejecting {} for gateway {} to the dead-letter queue: this agent serves {} and takes commands only",
                    body.getClass().getSimpleName(), body.gateway(), gateway);
            return null;
        }
        return command;
    }

    private static String describe(IpamMessage answer) {
        return answer instanceof org.vlab.ipam.events.PortMapFailed failed ? "failed: " + failed.reason()
                : answer.getClass().getSimpleName();
    }

    private static void requeue(Channel channel, Set<Long> open, Throwable cause) {
        log.warn("returning {} commands to the queue: {}", open.size(), cause.toString());
        for (long tag : open) {
            try {
                channel.basicNack(tag, false, true);
            } catch (IOException | RuntimeException e) {
                return; // the channel is gone: the broker redelivers everything unacknowledged
            }
        }
    }

    private static void settle(Channel channel, long tag, boolean ack) {
        try {
            if (ack) {
                channel.basicAck(tag, false);
            } else {
                channel.basicReject(tag, false);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not " + (ack ? "acknowledge" : "reject") + " delivery " + tag, e);
        }
    }
}
