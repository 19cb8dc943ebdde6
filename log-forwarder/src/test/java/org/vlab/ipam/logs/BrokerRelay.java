package org.vlab.ipam.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between one service and the broker, so a test can take the broker away from
 * that service alone: {@link #stop()} closes the listening port and every relayed connection
 * (as a broker restart does), {@link #start()} listens again on the same port;
 * {@link #holdUpstream()} keeps what the service sends from the broker until the next stop, so
 * nothing it publishes meanwhile is confirmed. The machine's
 * RabbitMQ, which other tests use at the same time, is never touched.
 */
public final class BrokerRelay implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private int port;
    private boolean holding;

    public BrokerRelay(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** The local port the service connects to. */
    public int port() {
        return port;
    }

    public synchronized BrokerRelay start() {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            port = server.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        ServerSocket listening = server;
        daemon("relay-accept", () -> {
            while (!listening.isClosed()) {
                try {
                    relay(listening, listening.accept());
                } catch (IOException e) {
                    // closed by stop()
                }
            }
        });
        return this;
    }

    /** Refuses new connections and cuts the open ones, as a broker going down does; ends a hold. */
    public synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.forEach(BrokerRelay::closeQuietly);
        sockets.clear();
        holding = false;
        notifyAll();
    }

    /** From now until {@link #stop()}, what the service sends goes no further than the relay. */
    public synchronized void holdUpstream() {
        holding = true;
    }

    private synchronized void awaitNotHolding(Socket to) throws IOException {
        while (holding && !to.isClosed()) {
            try {
                wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while holding", e);
            }
        }
    }

    /**
     * Relays a connection accepted from {@code listening}. Registered under the relay's lock,
     * and cut at once if {@link #stop()} closed the port meanwhile: a connection accepted just
     * before a stop and registered after it would otherwise survive the outage (FaultsJarTests
     * saw the forwarder publish through one while the broker was meant to be away).
     */
    private void relay(ServerSocket listening, Socket client) throws IOException {
        Socket broker;
        try {
            broker = new Socket(targetHost, targetPort);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        synchronized (this) {
            if (listening.isClosed()) {
                closeQuietly(client);
                closeQuietly(broker);
                return;
            }
            sockets.add(client);
            sockets.add(broker);
        }
        daemon("relay-up", () -> pump(client, broker, true));
        daemon("relay-down", () -> pump(broker, client, false));
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (upstream) {
                    awaitNotHolding(to);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        stop();
    }
}
