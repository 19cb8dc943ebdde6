package org.vlab.ipam.health.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.targets.ProbeTarget;

/**
 * Runs probes with at most {@code concurrency} in flight: each probe (one echo run over a chunk
 * of up to {@code icmpChunk} addresses, or one connect) is a task on a pool of that many
 * threads, and every probe is bounded by its own timeout. A dead target therefore holds a slot
 * for one timeout and never more, and a cycle over N connects takes about (N / concurrency) x
 * timeout when nothing answers, its echoes ⌈N / icmpChunk⌉ runs of about one timeout each.
 * Each address's result is delivered as soon as its own probes are done (its chunk's run and
 * its connects), without waiting for the others.
 */
public final class ProbeRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);

    private final IcmpProber icmp;
    private final TcpProber tcp;
    private final ThreadPoolExecutor pool;
    private final int icmpChunk;
    private volatile String lastFailure;

    /** A runner that echoes to one address per run. */
    public ProbeRunner(IcmpProber icmp, TcpProber tcp, int concurrency) {
        this(icmp, tcp, concurrency, 1);
    }

    public ProbeRunner(IcmpProber icmp, TcpProber tcp, int concurrency, int icmpChunk) {
        if (concurrency < 1 || icmpChunk < 1) {
            throw new IllegalArgumentException("concurrency and chunk size must be at least 1; got " + concurrency
                    + " and " + icmpChunk);
        }
        this.icmpChunk = icmpChunk;
        this.icmp = Objects.requireNonNull(icmp, "icmp");
        this.tcp = Objects.requireNonNull(tcp, "tcp");
        this.pool = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads());
        this.pool.allowCoreThreadTimeOut(true);
    }

    public boolean icmpEnabled() {
        return icmp != IcmpProber.OFF;
    }

    /** Queues the probes of one target; the future completes when all of them are done. */
    public CompletableFuture<AddressProbes> probe(ProbeTarget target) {
        return probeAll(List.of(target)).get(0);
    }

    /**
     * Queues the probes of all targets: their echoes first, in chunks, then every connect.
     * Each future, in the targets' order, completes when that target's probes are done.
     */
    public List<CompletableFuture<AddressProbes>> probeAll(List<ProbeTarget> targets) {
        Map<Ipv4Address, CompletableFuture<IcmpProbe>> echoes = icmpEnabled()
                ? echoInChunks(targets.stream().map(target -> target.address().address()).distinct().toList())
                : Map.of();
        List<CompletableFuture<AddressProbes>> results = new ArrayList<>();
        for (ProbeTarget target : targets) {
            CompletableFuture<IcmpProbe> echo = echoes.getOrDefault(target.address().address(),
                    CompletableFuture.completedFuture(null));
            List<CompletableFuture<TcpProbe>> connects = new ArrayList<>();
            for (TargetPort port : target.ports()) {
                connects.add(CompletableFuture.supplyAsync(() -> tcp.connect(target.address(), port), pool));
            }
            List<CompletableFuture<?>> all = new ArrayList<>(connects);
            all.add(echo);
            results.add(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .handle((ignored, error) -> collect(target, echo, connects)));
        }
        return results;
    }

    /** One task per chunk; each address's echo fails with its chunk's run, or with its own failure. */
    private Map<Ipv4Address, CompletableFuture<IcmpProbe>> echoInChunks(List<Ipv4Address> addresses) {
        Map<Ipv4Address, CompletableFuture<IcmpProbe>> echoes = new HashMap<>();
        for (int from = 0; from < addresses.size(); from += icmpChunk) {
            List<Ipv4Address> chunk = addresses.subList(from, Math.min(addresses.size(), from + icmpChunk));
            CompletableFuture<Map<Ipv4Address, EchoResult>> run = CompletableFuture.supplyAsync(
                    () -> icmp.echoAll(chunk), pool);
            for (Ipv4Address address : chunk) {
                echoes.put(address, run.thenApply(results -> {
                    EchoResult result = results.get(address);
                    if (result == null) {
                        throw new IllegalStateException("the echo run over " + chunk.size()
                                + " addresses gave no result for " + address);
                    }
                    return result.probeOrThrow();
                }));
            }
        }
        return echoes;
    }

    private AddressProbes collect(ProbeTarget target, CompletableFuture<IcmpProbe> echo,
            List<CompletableFuture<TcpProbe>> connects) {
        int failed = 0;
        IcmpProbe icmpProbe = null;
        try {
            icmpProbe = echo.join();
        } catch (RuntimeException e) {
            failed++;
            noteFailure("ICMP probe of " + target.address(), e);
        }
        List<TcpProbe> tcpProbes = new ArrayList<>();
        for (CompletableFuture<TcpProbe> connect : connects) {
            try {
                tcpProbes.add(connect.join());
            } catch (RuntimeException e) {
                failed++;
                noteFailure("TCP probe of " + target.address(), e);
            }
        }
        return new AddressProbes(target.address(), icmpProbe, tcpProbes, failed);
    }

    private void noteFailure(String what, RuntimeException e) {
        String failure = what + " failed: " + rootMessage(e);
        lastFailure = failure;
        log.debug(failure, e);
    }

    /** The last probe that broke inside the worker, for the cycle's summary; null if none did. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Probes running right now. */
    public int inFlight() {
        return pool.getActiveCount();
    }

    public int concurrency() {
        return pool.getMaximumPoolSize();
    }

    /** The most addresses one echo run covers. */
    public int icmpChunk() {
        return icmpChunk;
    }

    /** Stops at once: queued probes are dropped, running ones interrupted (connects close, fping is killed). */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "probe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
