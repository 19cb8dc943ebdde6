package org.vlab.ipam.health.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;

/**
 * A TCP connect with a timeout through an NIO {@link SocketChannel}, closed as soon as the
 * handshake completed: the kernel's answer tells the outcome (handshake: answered; reset:
 * refused, the host is up; ICMP unreachable: unreachable; nothing: timed out). Interruptible,
 * so a stopping worker does not wait for connects in flight.
 */
final class NioTcpProber implements TcpProber {

    private final Duration timeout;

    NioTcpProber(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public TcpProbe connect(LabAddress address, TargetPort port) {
        return connect(new InetSocketAddress(inet(address), port.value()), port);
    }

    /** The connect itself, to any socket address (lab addresses exclude loopback, which tests use). */
    TcpProbe connect(InetSocketAddress remote, TargetPort port) {
        long started = System.nanoTime();
        try (SocketChannel channel = SocketChannel.open()) {
            channel.socket().connect(remote, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return new TcpProbe(port, ProbeOutcome.ANSWERED, millisSince(started));
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while connecting to " + remote);
        } catch (SocketTimeoutException e) {
            return new TcpProbe(port, ProbeOutcome.TIMED_OUT, null);
        } catch (ConnectException e) {
            // ECONNREFUSED and ETIMEDOUT (the kernel gave up before us) both arrive as ConnectException.
            String reason = String.valueOf(e.getMessage());
            return reason.contains("refused") ? new TcpProbe(port, ProbeOutcome.REFUSED, millisSince(started))
                    : reason.contains("timed out") ? new TcpProbe(port, ProbeOutcome.TIMED_OUT, null)
                    : new TcpProbe(port, ProbeOutcome.UNREACHABLE, null);
        } catch (NoRouteToHostException e) {
            return new TcpProbe(port, ProbeOutcome.UNREACHABLE, null);
        } catch (IOException e) {
            // ENETUNREACH and the like: the network says no.
            return new TcpProbe(port, ProbeOutcome.UNREACHABLE, null);
        }
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
