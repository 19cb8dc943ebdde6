package org.vlab.ipam.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP ports for a test to hand to a server it starts later. The port comes from below the kernel's
 * ephemeral range, not from {@code bind(0)}: a port {@code bind(0)} returned and the test closed is
 * the very port the kernel hands out next, to the service's own {@code server.port=0} or to any
 * outbound connection, and CI saw a management port taken that way in the instant before its
 * server bound it. Ports the shared test clusters use (5672, 5701-5703, 7101-7213, 15672, 15701-15703,
 * 25672, 25701-25703) are below the range used here, and a port is never handed out twice per JVM.
 */
public final class FreePort {

    private static final int LOWEST = 30000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final FreePort BELOW_EPHEMERAL = new FreePort(LOWEST, ephemeralLow());

    private final int lowest;
    private final int end;
    private final Set<Integer> handedOut = new HashSet<>();

    /** Ports from {@code lowest} (inclusive) to {@code end} (exclusive). */
    FreePort(int lowest, int end) {
        if (end - lowest < 1) {
            throw new IllegalStateException("no ports from " + lowest + " below " + end
                    + ": the ephemeral range (" + EPHEMERAL_RANGE + ") must start above " + LOWEST);
        }
        this.lowest = lowest;
        this.end = end;
    }

    /** A port nothing listens on now, on any address, outside the ephemeral range, not handed out before by this JVM. */
    public static int next() {
        return BELOW_EPHEMERAL.take();
    }

    synchronized int take() {
        // From a random start, so that JVMs running side by side rarely race for the same port.
        int size = end - lowest;
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = lowest + (start + i) % size;
            if (!handedOut.contains(port) && bindable(port)) {
                handedOut.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no port from " + lowest + " to " + (end - 1) + " is free");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int ephemeralLow() {
        try {
            // readAllLines, not readString: Java 17's readString returns one byte of a procfs file (size 0)
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
