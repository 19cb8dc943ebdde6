package org.vlab.ipam.health.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.vlab.ipam.domain.TargetPort;

/**
 * Run by {@link RefusedInAnyLanguageTests} in a JVM of its own, started in another language:
 * prints what the JDK says about a refused connect, then what the prober makes of one.
 */
final class ProbeInLocale {

    private ProbeInLocale() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        InetSocketAddress closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (Socket socket = new Socket()) {
            socket.connect(closed, 2000);
            System.out.println("message=(connected)");
        } catch (java.io.IOException e) {
            System.out.println("message=" + e.getMessage());
        }
        NioTcpProber prober = new NioTcpProber(Duration.ofSeconds(2), Duration.ofSeconds(127));
        System.out.println("outcome=" + prober.connect(closed, TargetPort.of(port)).outcome());
    }
}
