package org.vlab.ipam.health.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;

/**
 * A non-blocking TCP connect with a timeout, closed as soon as the handshake completed. Where
 * it fails tells whose failure it is, without reading the exception's (localized) message:
 * opening the socket, or the {@code connect} call itself, fails only when this host will not
 * send the SYN (no file descriptor, no route, the local firewall) and is a
 * {@link ProbeFailedException}; what comes back afterwards is the network's answer (handshake:
 * answered; reset or ICMP port unreachable, a {@link ConnectException}: refused, the host is
 * up; other ICMP errors: unreachable; nothing: timed out). A {@link ConnectException} is also
 * how the kernel reports giving up on SYN retries (ETIMEDOUT), which it does only after
 * {@code kernelGiveUp}. Interruptible, so a stopping worker does not wait for connects in flight.
 */
final class NioTcpProber implements TcpProber {

    private final Duration timeout;
    private final Duration kernelGiveUp;

    NioTcpProber(Duration timeout, Duration kernelGiveUp) {
        this.timeout = timeout;
        this.kernelGiveUp = kernelGiveUp;
    }

    @Override
    public TcpProbe connect(LabAddress address, TargetPort port) {
        return connect(new InetSocketAddress(inet(address), port.value()), port);
    }

    /** The connect itself, to any socket address (lab addresses exclude loopback, which tests use). */
    TcpProbe connect(InetSocketAddress remote, TargetPort port) {
        long started = System.nanoTime();
        SocketChannel channel = open(remote);
        try (channel; Selector selector = openSelector(remote)) {
            channel.configureBlocking(false);
            try {
                if (channel.connect(remote)) {
                    return answered(port, started);
                }
            } catch (ConnectException e) {
                return refused(port, started); // a reset can come at once (loopback)
            } catch (ClosedByInterruptException e) {
                throw interrupted(remote);
            } catch (IOException e) {
                throw new ProbeFailedException("this host would not send a SYN to " + remote, e);
            }
            channel.register(selector, SelectionKey.OP_CONNECT);
            long deadline = started + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new TcpProbe(port, ProbeOutcome.TIMED_OUT, null);
                }
                selector.select(Math.max(1, Duration.ofNanos(left).toMillis()));
                if (Thread.currentThread().isInterrupted()) {
                    throw interrupted(remote);
                }
                if (!selector.selectedKeys().isEmpty()) {
                    selector.selectedKeys().clear();
                    TcpProbe answer = finish(channel, port, started);
                    if (answer != null) {
                        return answer;
                    }
                }
            }
        } catch (ClosedByInterruptException e) {
            throw interrupted(remote);
        } catch (IOException e) {
            throw new ProbeFailedException("cannot probe " + remote, e);
        }
    }

    /** The network's answer, or null while the handshake is still under way. */
    private TcpProbe finish(SocketChannel channel, TargetPort port, long started) throws ClosedByInterruptException {
        try {
            return channel.finishConnect() ? answered(port, started) : null;
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (ConnectException e) {
            return Duration.ofNanos(System.nanoTime() - started).compareTo(kernelGiveUp) >= 0
                    ? new TcpProbe(port, ProbeOutcome.TIMED_OUT, null) : refused(port, started);
        } catch (NoRouteToHostException e) {
            return new TcpProbe(port, ProbeOutcome.UNREACHABLE, null);
        } catch (IOException e) {
            // An ICMP error after the SYN left (network unreachable, prohibited): the network says no.
            return new TcpProbe(port, ProbeOutcome.UNREACHABLE, null);
        }
    }

    private static SocketChannel open(InetSocketAddress remote) {
        try {
            return SocketChannel.open();
        } catch (IOException e) {
            throw new ProbeFailedException("cannot open a socket to probe " + remote, e);
        }
    }

    private static Selector openSelector(InetSocketAddress remote) {
        try {
            return Selector.open();
        } catch (IOException e) {
            throw new ProbeFailedException("cannot open a selector to probe " + remote, e);
        }
    }

    private static CancellationException interrupted(InetSocketAddress remote) {
        Thread.currentThread().interrupt();
        return new CancellationException("interrupted while connecting to " + remote);
    }

    private static TcpProbe answered(TargetPort port, long started) {
        return new TcpProbe(port, ProbeOutcome.ANSWERED, millisSince(started));
    }

    private static TcpProbe refused(TargetPort port, long started) {
        return new TcpProbe(port, ProbeOutcome.REFUSED, millisSince(started));
    }

    private static InetAddress inet(LabAddress address) {
        int bits = address.address().bits();
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16),
                    (byte) (bits >>> 8), (byte) bits});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static double millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000.0;
    }
}
