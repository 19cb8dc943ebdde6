package org.vlab.ipam.agent.commands;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.vlab.ipam.agent.reconcile.AnswerPublisher;
import org.vlab.ipam.agent.reconcile.AnswerPublisher.Answer;
import org.vlab.ipam.agent.reconcile.PortLedger;
import org.vlab.ipam.agent.reconcile.PortLedger.Offer;
import org.vlab.ipam.agent.reconcile.SyncLoop;
import org.vlab.ipam.agent.reconcile.TargetPolicy;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.messaging.IpamMessageConverter;

/**
 * Takes each command as it arrives: records it in the ledger, asks for a sync and returns at
 * once, so the next command is recorded while a sync runs and joins the next one. When the
 * sync that covers a command completed, its answer is published (on the {@code answering}
 * executor, never on the sync thread) and the command acknowledged once the broker confirmed
 * the answer; confirms of one sync's answers are awaited together, not one after the other.
 * Duplicates are answered again; stale commands are acknowledged unanswered; a command whose
 * sync could not commit is acknowledged unanswered too (it stays pending in the ledger, and the
 * reconcile after the recovery answers it). Unreadable commands, commands for another gateway
 * and, when publishers are configured, commands whose broker-checked {@code user_id} is none of
 * them are rejected to the dead-letter queue; a command that cannot be handled is returned to
 * the queue.
 */
final class CommandListener implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(CommandListener.class);

    private final GatewayId gateway;
    private final Set<String> publishers;
    private final PortLedger ledger;
    private final TargetPolicy policy;
    private final SyncLoop loop;
    private final AnswerPublisher answers;
    private final Clock clock;
    private final Executor answering;
    private final IpamMessageConverter converter = new IpamMessageConverter();

    /** @param publishers the users whose commands are taken (the API's); empty: any */
    CommandListener(GatewayId gateway, Collection<String> publishers, PortLedger ledger, TargetPolicy policy,
            SyncLoop loop, AnswerPublisher answers, Clock clock, Executor answering) {
        this.gateway = gateway;
        this.publishers = Set.copyOf(publishers);
        this.ledger = ledger;
        this.policy = policy;
        this.loop = loop;
        this.answers = answers;
        this.clock = clock;
        this.answering = answering;
    }

    private record Received(long deliveryTag, PortMapRequested command, String correlationId, Offer offer) {
    }

    @Override
    public void onMessage(Message message, Channel channel) {
        long tag = message.getMessageProperties().getDeliveryTag();
        try {
            PortMapRequested command = read(message);
            if (command == null) {
                settle(channel, tag, false);
                return;
            }
            Offer offer = ledger.offer(command,
                    () -> policy.refusal(command.action(), command.connPort(), command.target()));
            Received received = new Received(tag, command, message.getMessageProperties().getCorrelationId(), offer);
            if (offer == Offer.STALE) {
                log.info("ignoring stale {} of port {} at generation {}: a newer change is known", command.action(),
                        command.connPort(), command.generation());
                settle(channel, tag, true);
            } else if (ledger.isSettled(command)) {
                answering.execute(() -> answer(received, channel));
            } else {
                loop.whenSynced(loop.request()).whenCompleteAsync((committed, stopped) -> {
                    if (stopped != null) {
                        requeue(channel, tag, stopped);
                    } else {
                        answer(received, channel);
                    }
                }, answering);
            }
        } catch (RuntimeException | Error e) {
            log.error("could not handle a command (delivery {})", tag, e);
            requeue(channel, tag, e);
        }
    }

    /** Publishes the command's answer, if its change settled, and acknowledges once the broker has it. */
    private void answer(Received each, Channel channel) {
        try {
            CompletableFuture<Void> confirmed = ledger.answerFor(each.command(), clock.instant()).map(answer -> {
                log.info("{} of port {} at generation {} ({}): {}", each.command().action(), each.command().connPort(),
                        each.command().generation(), each.offer() == Offer.NEW ? "new" : "repeated", describe(answer));
                return answers.send(new Answer(answer, each.correlationId()));
            }).orElse(CompletableFuture.completedFuture(null));
            confirmed.whenCompleteAsync((ignored, failure) -> settleQuietly(channel, each.deliveryTag()), answering);
        } catch (RuntimeException e) {
            log.error("could not answer {} of port {}", each.command().action(), each.command().connPort(), e);
            requeue(channel, each.deliveryTag(), e);
        }
    }

    private PortMapRequested read(Message message) {
        String publisher = message.getMessageProperties().getReceivedUserId();
        if (!publishers.isEmpty() && (publisher == null || !publishers.contains(publisher))) {
            log.warn("rejecting a command published by {} to the dead-letter queue: only {} may command this agent",
                    publisher == null ? "a publisher without user_id"
                            : "user '" + publisher.replaceAll("\\p{Cntrl}", "?") + "'", publishers);
            return null;
        }
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
        return answer instanceof PortMapFailed failed ? "failed: " + failed.reason() : answer.getClass().getSimpleName();
    }

    private static void requeue(Channel channel, long tag, Throwable cause) {
        log.warn("returning command (delivery {}) to the queue: {}", tag, cause.toString());
        try {
            channel.basicNack(tag, false, true);
        } catch (IOException | RuntimeException e) {
            // the channel is gone: the broker redelivers everything unacknowledged
        }
    }

    /** Acknowledges after the answer; a channel closed meanwhile has the broker redeliver, and the duplicate is answered again. */
    private static void settleQuietly(Channel channel, long tag) {
        try {
            channel.basicAck(tag, false);
        } catch (IOException | RuntimeException e) {
            log.warn("could not acknowledge command (delivery {}); the broker redelivers it: {}", tag, e.toString());
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
