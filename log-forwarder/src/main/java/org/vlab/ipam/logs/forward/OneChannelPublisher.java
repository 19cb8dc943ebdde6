package org.vlab.ipam.logs.forward;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.SocketConfigurator;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MessageType;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.EncodedMessage;
import org.vlab.ipam.messaging.IpamMessageConverter;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;
import org.vlab.ipam.messaging.PublishFailedException;
import org.vlab.ipam.messaging.PublishFailedException.Reason;

/**
 * Publishes on one AMQP channel of a connection of its own, with publisher confirms and the
 * mandatory flag, as {@code ConfirmingPublisher} does (same properties, same JSON, the same
 * {@link PublishFailedException} reasons). The broker keeps the order of messages within a
 * channel only, and Spring's channel cache sets a channel with confirms outstanding aside and
 * hands out another, so batches in flight there could reach the queue out of order. Here every
 * message goes on the same channel until it breaks; the pending confirms of a broken channel
 * fail at once, and the next publish opens a new one. Called by the forwarding thread only,
 * except {@link #close}.
 */
final class OneChannelPublisher implements MessagePublisher, AutoCloseable {

    private final ConnectionFactory factory;
    private final List<Address> addresses;
    private final String appId;
    private final Duration confirmTimeout;
    private final IpamMessageConverter converter = new IpamMessageConverter();
    private final Runnable beforeConnecting;
    private Connection connection;
    private OpenChannel channel;
    /** The newest connection's socket, which {@link #close} cuts without waiting for a publish stuck writing to it. */
    private volatile Socket socket;
    private volatile boolean closed;

    /**
     * @param beforeConnecting run before each new connection: the application's connection is
     *        opened there, which has Spring declare the topology (as it does again after a broker restart)
     */
    OneChannelPublisher(ConnectionFactory factory, List<Address> addresses, String appId, Duration confirmTimeout,
            Runnable beforeConnecting) {
        // a copy that remembers each new connection's socket; the application's factory is left as it is
        this.factory = factory.clone();
        SocketConfigurator configurator = factory.getSocketConfigurator();
        this.factory.setSocketConfigurator(opened -> {
            configurator.configure(opened);
            socket = opened;
            if (closed) {
                // close() ran while this connection was being opened, and may have cut the one before
                opened.close();
                throw new IOException("the publisher is closed: the service is stopping");
            }
        });
        this.beforeConnecting = beforeConnecting;
        this.addresses = List.copyOf(addresses);
        this.appId = appId;
        this.confirmTimeout = confirmTimeout;
    }

    /** A channel in confirm mode and the confirms it owes. */
    private static final class OpenChannel {
        final Channel channel;
        final OwedConfirms owed = new OwedConfirms();

        OpenChannel(Channel channel) throws IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addReturnListener(returned -> owed.returned(String.valueOf(returned.getProperties().getMessageId())));
            channel.addConfirmListener(owed::acked, owed::nacked);
            channel.addShutdownListener(cause -> owed.failAll("the channel closed: " + cause.getMessage()));
        }
    }

    @Override
    public CompletableFuture<Void> publish(IpamMessage message, MessageMetadata metadata) {
        return publish(EncodedMessage.of(message), metadata);
    }

    /** Sends the bytes written beforehand (the forwarder writes each batch's JSON before its checkpoint). */
    @Override
    public synchronized CompletableFuture<Void> publish(EncodedMessage encoded, MessageMetadata metadata) {
        IpamMessage message = encoded.message();
        MessageType type = MessageType.of(message);
        String what = type.wireName() + " to " + type.exchange() + " " + type.routingKey(message);
        MessageProperties converted = new MessageProperties();
        Message body = converter.toMessage(encoded, converted);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                .messageId(metadata.messageId()).correlationId(metadata.correlationId()).appId(appId)
                .userId(factory.getUsername()).timestamp(new Date()).type(converted.getType())
                .contentType(converted.getContentType()).contentEncoding(converted.getContentEncoding()).build();
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        try {
            OpenChannel open = channel();
            long tag = open.channel.getNextPublishSeqNo();
            open.owed.published(tag, String.valueOf(metadata.messageId()), confirm);
            open.channel.basicPublish(type.exchange(), type.routingKey(message), true, properties, body.getBody());
        } catch (IOException | TimeoutException | RuntimeException e) {
            confirm.completeExceptionally(new PublishFailedException(Reason.BROKER_UNREACHABLE, "could not publish "
                    + what + ": " + e, e));
            return confirm;
        }
        return confirm.orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(error -> {
            if (error instanceof TimeoutException) {
                throw new PublishFailedException(Reason.TIMED_OUT, "no confirm for " + what + " within " + confirmTimeout,
                        error);
            }
            throw error instanceof PublishFailedException failed ? failed
                    : new PublishFailedException(Reason.BROKER_UNREACHABLE, "could not publish " + what, error);
        });
    }

    private OpenChannel channel() throws IOException, TimeoutException {
        if (channel != null && channel.channel.isOpen()) {
            return channel;
        }
        if (closed) {
            throw new IOException("the publisher is closed: the service is stopping");
        }
        if (connection == null || !connection.isOpen()) {
            closeQuietly();
            beforeConnecting.run();
            connection = factory.newConnection(addresses, appId + "-publishing");
        }
        channel = new OpenChannel(connection.createChannel());
        return channel;
    }

    @Override
    public CompletableFuture<Void> reply(SnapshotTaken snapshot, String replyTo, String correlationId) {
        throw new UnsupportedOperationException("the log forwarder answers no requests");
    }

    /**
     * Cuts the socket first, then closes the connection. A broker that stops reading (a memory
     * or disk alarm blocks publishers so) leaves a publish stuck writing to a full socket while
     * it holds this publisher's lock and the connection's frame writer, so neither waiting for
     * the lock nor the client's own close (which writes a close frame) would ever return; cutting
     * the socket fails that publish at once.
     */
    @Override
    public void close() {
        closed = true;
        Socket open = socket;
        if (open != null) {
            try {
                // no linger: a TLS socket then skips its close_notify, whose write would wait for the stuck one
                open.setSoLinger(true, 0);
            } catch (IOException e) {
                // already closed
            }
            try {
                open.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        synchronized (this) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.abort();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
        connection = null;
        channel = null;
    }
}
