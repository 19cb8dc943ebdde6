package org.vlab.ipam.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTests {

    @Test
    void handsOutBindablePortsBelowTheEphemeralRangeNeverTwice() throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePort.next();
            assertThat(port).isBetween(30000, FreePort.ephemeralLow() - 1);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
        }
        int port = FreePort.next();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void findsTheOnePortOfItsRangeNothingListensOnThenSaysNoneIsFree() throws IOException {
        int lowest = FreePort.next();
        FreePort window = new FreePort(lowest, lowest + 8);
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int port = lowest; port < lowest + 8; port++) {
                ServerSocket socket = new ServerSocket();
                try {
                    socket.bind(new InetSocketAddress(port));
                    held.add(socket);
                } catch (IOException inUse) {
                    socket.close();
                }
            }
            ServerSocket released = held.remove(held.size() - 1);
            int left = released.getLocalPort();
            released.close();

            assertThat(window.take()).isEqualTo(left);
            assertThatThrownBy(window::take).hasMessageContaining("is free");
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }
}
