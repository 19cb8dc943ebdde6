package org.vlab.ipam.agent.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/**
 * The host's addresses as read at most {@code maxAge} ago, for the check every command passes.
 * Reading them lists every interface through the kernel (about 0.3 ms of CPU per command on a
 * 2-core gateway with six interfaces, more with many), and a burst of commands asked the same
 * question hundreds of times a second. An address the host gained within the last
 * {@code maxAge} can be missed by a command arriving meanwhile; every reconcile checks the
 * mappings again, so such a mapping loses its rule at the next one, as does one whose target the
 * gateway takes as its own address later (docs/security-gateway.md).
 */
public final class RecentHostAddresses implements HostAddresses {

    private record Read<T>(T value, long readAt) {
    }

    private final HostAddresses host;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final AtomicReference<Read<Set<Ipv4Address>>> all = new AtomicReference<>();
    private final Map<String, AtomicReference<Read<List<LabNetwork>>>> networks = new ConcurrentHashMap<>();

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
        return recent(all, host::all);
    }

    /** Always read: only the heartbeat asks, every few seconds, and it must name the address in use. */
    @Override
    public List<Ipv4Address> on(String interfaceName) {
        return host.on(interfaceName);
    }

    @Override
    public List<LabNetwork> networksOn(String interfaceName) {
        return recent(networks.computeIfAbsent(interfaceName, name -> new AtomicReference<>()),
                () -> host.networksOn(interfaceName));
    }

    /** The value {@code last} holds while it is fresh, else a new read, stamped before reading so a change during it is read again. */
    private <T> T recent(AtomicReference<Read<T>> last, Supplier<T> reading) {
        Read<T> read = last.get();
        if (read == null || nanoTime.getAsLong() - read.readAt() >= maxAgeNanos) {
            long at = nanoTime.getAsLong();
            read = new Read<>(reading.get(), at);
            last.set(read);
        }
        return read.value();
    }
}
