package org.vlab.ipam.agent.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/**
 * The host's addresses as read at most {@code maxAge} ago, for the check every command passes.
 * Reading them lists every interface through the kernel (about 0.3 ms of CPU per command on a
 * 2-core gateway with six interfaces, more with many), and a burst of commands asked the same
 * question hundreds of times a second. An address the host gained within the last
 * {@code maxAge} can be missed by a command arriving meanwhile. That opens nothing new: a mapping
 * is checked when its change arrives, never again, so one whose target the gateway takes as its
 * own address later, a second or a day, stands either way (docs/security-gateway.md).
 */
public final class RecentHostAddresses implements HostAddresses {

    private record Read<T>(T value, long readAt) {
    }

    private final HostAddresses host;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private volatile Read<Set<Ipv4Address>> all;
    private final Map<String, Read<List<LabNetwork>>> networks = new ConcurrentHashMap<>();

    public RecentHostAddresses(HostAddresses host, Duration maxAge) {
        this(host, maxAge, System::nanoTime);
    }

    RecentHostAddresses(HostAddresses host, Duration maxAge, LongSupplier nanoTime) {
        this.host = host;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public Set<Ipv4Address> all() {
        Read<Set<Ipv4Address>> last = all;
        if (last == null || stale(last)) {
            last = read(host::all);
            all = last;
        }
        return last.value();
    }

    /** Always read: only the heartbeat asks, every few seconds, and it must name the address in use. */
    @Override
    public List<Ipv4Address> on(String interfaceName) {
        return host.on(interfaceName);
    }

    @Override
    public List<LabNetwork> networksOn(String interfaceName) {
        Read<List<LabNetwork>> last = networks.get(interfaceName);
        if (last == null || stale(last)) {
            last = read(() -> host.networksOn(interfaceName));
            networks.put(interfaceName, last);
        }
        return last.value();
    }

    private boolean stale(Read<?> read) {
        return nanoTime.getAsLong() - read.readAt() >= maxAgeNanos;
    }

    /** Stamped before reading, so an address that changed during the read is read again next time. */
    private <T> Read<T> read(Supplier<T> reading) {
        long at = nanoTime.getAsLong();
        return new Read<>(reading.get(), at);
    }
}
