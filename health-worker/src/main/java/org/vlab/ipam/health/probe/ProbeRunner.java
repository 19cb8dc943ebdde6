package org.vlab.ipam.health.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.targets.ProbeTarget;

/**
 * Runs probes with at most {@code concurrency} in flight: each probe (one echo run, or one
 * connect) is a task on a pool of that many threads, and every probe is bounded by its own
 * timeout. A dead target therefore holds one slot for one timeout and never more, and a cycle
 * over N probes takes about (N / concurrency) x timeout when nothing answers. Each address's
 * result is delivered as soon as its own probes are done, without waiting for the others.
 */
public final class ProbeRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);

    private final IcmpProber icmp;
    private final TcpProber tcp;
    private final ThreadPoolExecutor pool;
    private volatile String lastFailure;

    public ProbeRunner(IcmpProber icmp, TcpProber tcp, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1; got " + concurrency);
        }
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
        CompletableFuture<IcmpProbe> echo = icmpEnabled()
                ? CompletableFuture.supplyAsync(() -> icmp.echo(target.address().address()), pool)
                : CompletableFuture.completedFuture(null);
        List<CompletableFuture<TcpProbe>> connects = new ArrayList<>();
        for (TargetPort port : target.ports()) {
            connects.add(CompletableFuture.supplyAsync(() -> tcp.connect(target.address(), port), pool));
        }
        List<CompletableFuture<?>> all = new ArrayList<>(connects);
        all.add(echo);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .handle((ignored, error) -> collect(target, echo, connects));
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
