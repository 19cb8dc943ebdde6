package org.vlab.ipam.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One long-lived TCP connection (or udp flow) held open by a socat in a namespace, to an echo server: each
 * {@link #echoes} sends a fresh line on the same connection and waits for it to come back, so
 * it tells whether this very connection still passes data.
 */
public final class TcpSession {

    private final Process socat;
    private final OutputStream toServer;
    private final BlockingQueue<String> fromServer = new LinkedBlockingQueue<>();
    private final AtomicInteger probes = new AtomicInteger();

    TcpSession(Process socat) {
        this.socat = socat;
        this.toServer = socat.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socat.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    fromServer.add(line);
                }
            } catch (IOException e) {
                // the connection ended; echoes() answers false from now on
            }
        }, "tcp-session");
        reader.setDaemon(true);
        reader.start();
    }

    /** Whether a line sent now on this connection comes back within {@code timeout}. */
    public boolean echoes(Duration timeout) {
        String probe = "probe " + probes.incrementAndGet();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            toServer.write((probe + "\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
            for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                String line = fromServer.poll(left, TimeUnit.NANOSECONDS);
                if (probe.equals(line)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the client still holds the connection open (socat exits once it is reset). */
    public boolean isOpen() {
        return socat.isAlive();
    }
}
