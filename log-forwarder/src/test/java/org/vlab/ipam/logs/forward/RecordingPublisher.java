package org.vlab.ipam.logs.forward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.amqp.core.MessageProperties;
import org.vlab.ipam.events.FirewallLogBatch;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.EncodedMessage;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;

/** A publisher whose confirms the test decides (by attempt number, from 1); it remembers every attempt. */
final class RecordingPublisher implements MessagePublisher {

    record Attempt(FirewallLogBatch batch, String messageId, int linesAskedBefore) {
    }

    private final Function<Integer, CompletableFuture<Void>> confirms;
    private final ScriptedLines lines;
    final List<Attempt> attempts = new ArrayList<>();

    RecordingPublisher(ScriptedLines lines, Function<Integer, CompletableFuture<Void>> confirms) {
        this.lines = lines;
        this.confirms = confirms;
    }

    static RecordingPublisher confirmingAll(ScriptedLines lines) {
        return new RecordingPublisher(lines, attempt -> CompletableFuture.completedFuture(null));
    }

    @Override
    public synchronized CompletableFuture<Void> publish(IpamMessage message, MessageMetadata metadata) {
        attempts.add(new Attempt((FirewallLogBatch) message, metadata.messageId(), lines.asked.get()));
        return confirms.apply(attempts.size());
    }

    /** As the forwarder publishes: the JSON written beforehand, which must be the message's own, byte for byte. */
    @Override
    public CompletableFuture<Void> publish(EncodedMessage encoded, MessageMetadata metadata) {
        byte[] sent = new IpamMessageConverter().toMessage(encoded, new MessageProperties()).getBody();
        if (!Arrays.equals(sent, IpamJson.mapper().writeValueAsBytes(encoded.message()))) {
            throw new AssertionError("the JSON sent for " + metadata.messageId() + " is not its message's");
        }
        return publish(encoded.message(), metadata);
    }

    @Override
    public CompletableFuture<Void> reply(SnapshotTaken snapshot, String replyTo, String correlationId) {
        throw new UnsupportedOperationException();
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }
}
