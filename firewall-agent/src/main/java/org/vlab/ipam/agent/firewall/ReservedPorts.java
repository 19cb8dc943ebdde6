package org.vlab.ipam.agent.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vlab.ipam.domain.PortRange;

/**
 * Keeps the connection-port range in {@code net.ipv4.ip_local_reserved_ports} (per network
 * namespace), so the gateway's own outgoing connections never take a port a mapping needs:
 * the default range lies inside Linux's ephemeral range. Reservations already there are kept.
 */
public final class ReservedPorts {

    public static final Path KERNEL_FILE = Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports");

    private final Path file;

    public ReservedPorts(Path file) {
        this.file = file;
    }

    /** Adds {@code range} to the reserved ports unless it is covered already; returns whether it wrote. */
    public boolean reserve(PortRange range) throws IOException {
        PortList current = PortList.parse(read());
        if (current.covers(range)) {
            return false;
        }
        Files.writeString(file, current.with(range) + "\n", StandardCharsets.US_ASCII);
        return true;
    }

    /**
     * What to do about a failed reservation, from its real cause: a container's {@code /proc/sys}
     * is mounted read-only whatever the agent's capabilities, so there the reservation belongs in
     * the container's or the node's sysctls; elsewhere the agent lacks uid 0.
     */
    public static String remedy(Exception failure) {
        String text = String.valueOf(failure.getMessage());
        if (failure instanceof java.nio.file.FileSystemException && text.contains("Read-only file system")) {
            return "/proc/sys is read-only here (a container): set the sysctl for the agent's network namespace "
                    + "instead (compose: sysctls; Kubernetes with hostNetwork: the node's /etc/sysctl.d, see the README)";
        }
        if (failure instanceof java.nio.file.AccessDeniedException) {
            return "writing it needs uid 0: run the agent as root (with only NET_ADMIN), or set the sysctl on the host";
        }
        return "set net.ipv4.ip_local_reserved_ports to include the range on the host";
    }

    /**
     * The list in one read: the kernel answers a read at a non-zero offset of this file with
     * nothing, so reading in small pieces (as Files.readString does for a file of size 0) would
     * see "8" of "8080" and write the other reservations back truncated.
     */
    private String read() throws IOException {
        // 65536 single ports written out take less than 400 KiB
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int length = in.read(buffer);
            if (length == buffer.length) {
                throw new IOException(file + " holds more than " + buffer.length + " bytes; not touching it");
            }
            return length < 0 ? "" : new String(buffer, 0, length, StandardCharsets.US_ASCII);
        }
    }
}
