package org.vlab.ipam.api.auth;

import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The key fetched from vLab at start, fetched again every {@code period} and after a token's
 * signature fails to verify, so vLab can rotate its key without a restart of the API. Refreshes
 * after failures are rate-limited to one per {@code minInterval} (requests failing meanwhile
 * share the one in flight), so a flood of badly signed tokens cannot hammer vLab. A failed
 * refresh keeps the current key. All fetching happens on one daemon thread of its own.
 */
final class RefreshingVlabKey implements RsaKeySource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RefreshingVlabKey.class);

    private final VlabKeyFetcher fetcher;
    private final long minIntervalNanos;
    private final AtomicReference<RSAPublicKey> current;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "vlab-key-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private final Object lock = new Object();
    private CompletableFuture<Boolean> afterFailure = CompletableFuture.completedFuture(false);
    private long afterFailureStartedNanos;
    private boolean refreshedAfterFailure;

    private RefreshingVlabKey(VlabKeyFetcher fetcher, RSAPublicKey first, Duration period, Duration minInterval) {
        this.fetcher = fetcher;
        this.minIntervalNanos = minInterval.toNanos();
        this.current = new AtomicReference<>(first);
        refresher.scheduleWithFixedDelay(() -> refresh("periodic refresh"), period.toNanos(), period.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Fetches the key now (with the fetcher's attempts; fails the start without one), then keeps it fresh. */
    static RefreshingVlabKey start(VlabKeyFetcher fetcher, Duration period, Duration minInterval) {
        return new RefreshingVlabKey(fetcher, fetcher.fetchAtStart(), period, minInterval);
    }

    @Override
    public RSAPublicKey current() {
        return current.get();
    }

    @Override
    public Mono<Boolean> refreshAfterSignatureFailure() {
        CompletableFuture<Boolean> refresh;
        synchronized (lock) {
            long now = System.nanoTime();
            if (afterFailure.isDone() && refreshedAfterFailure && now - afterFailureStartedNanos < minIntervalNanos) {
                return Mono.empty();
            }
            if (afterFailure.isDone()) {
                refreshedAfterFailure = true;
                afterFailureStartedNanos = now;
                afterFailure = CompletableFuture.supplyAsync(() -> refresh("a token's signature did not verify"), refresher);
            }
            refresh = afterFailure;
        }
        return Mono.fromFuture(refresh, true);
    }

    /** Fetches the key once; true when it differs from the one in use, which it then replaces. */
    private boolean refresh(String why) {
        try {
            RSAPublicKey fetched = fetcher.fetch();
            RSAPublicKey previous = current.getAndSet(fetched);
            boolean changed = !Arrays.equals(previous.getEncoded(), fetched.getEncoded());
            if (changed) {
                log.info("The token verification key from {} changed ({}): tokens signed with the previous key are "
                        + "refused from now on", fetcher.endpoint(), why);
            }
            return changed;
        } catch (VlabKeyFetcher.Transient | IllegalArgumentException failure) {
            log.warn("Refreshing the token verification key from {} ({}) failed, keeping the current key: {}",
                    fetcher.endpoint(), why, failure.getMessage());
            return false;
        } catch (RuntimeException unexpected) {
            log.error("Refreshing the token verification key from {} ({}) failed, keeping the current key",
                    fetcher.endpoint(), why, unexpected);
            return false;
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
