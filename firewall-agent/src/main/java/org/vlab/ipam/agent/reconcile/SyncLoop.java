package org.vlab.ipam.agent.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The one thread that changes the firewall. Anyone who changed the ledger asks for a sync and
 * gets a ticket. When no sync runs, a request starts one at once (there is no minimum
 * interval: a lone change never waits); requests that arrive while a sync runs are served
 * together by the next one, so a burst costs about two transactions. A request may ask for a
 * full sync (the reconciler's, which reads the kernel back); the others apply only changes.
 * A failed sync is retried with back-off (requests meanwhile wait for that retry, at most
 * {@link #REQUESTED_RETRY_WAIT} after the failure), and the first sync that succeeds after
 * failures tells the recovery listener (the reconciler settles what waited meanwhile). It also
 * keeps how long the oldest request has waited for a successful sync: the health's measure of
 * progress.
 */
public final class SyncLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);
    /** Starts after nothing, stops after the command consumer and the reconciler. */
    static final int PHASE = 0;
    /**
     * The longest a request waits for the retry after a failed sync: the back-off grows to
     * {@code IPAM_RECONCILE_PERIOD}, but commands arriving once the firewall works again should not
     * wait that long, and one attempt per this long is cheap even when each rewrites every mapping.
     */
    static final Duration REQUESTED_RETRY_WAIT = Duration.ofSeconds(5);

    private final FirewallSync sync;
    private final Duration maxBackoff;
    private final Object lock = new Object();
    private long started;
    private long completed;
    private boolean lastSucceeded;
    private boolean requested;
    private boolean fullRequested;
    /** Futures of {@link #whenSynced} not yet completed, with their tickets. */
    private final List<Waiter> waiters = new ArrayList<>();
    private long retryAtNanos;
    /** When the last sync failed (nanoTime); a request brings its retry forward to at most {@link #REQUESTED_RETRY_WAIT} after. */
    private long failedAtNanos;
    private final long requestedRetryWaitNanos;
    private int failures;
    private Thread thread;
    private volatile boolean running;
    /** When the oldest request not yet served by a successful sync was made (nanoTime); 0 when none waits. */
    private long waitingSince;
    private volatile Runnable onRecovery = () -> { };

    private record Waiter(long ticket, CompletableFuture<Boolean> done) {
    }

    public SyncLoop(FirewallSync sync, Duration maxBackoff) {
        this(sync, maxBackoff, REQUESTED_RETRY_WAIT);
    }

    /** @param requestedRetryWait the longest a request waits for a retry after a failure, whatever the back-off */
    SyncLoop(FirewallSync sync, Duration maxBackoff, Duration requestedRetryWait) {
        this.sync = sync;
        this.maxBackoff = maxBackoff;
        this.requestedRetryWaitNanos = requestedRetryWait.toNanos();
    }

    /** Asks for a sync of the changes made before this call; returns the ticket {@link #await} waits for. */
    public long request() {
        return request(false);
    }

    /** Asks for a full sync (read back, compare, rewrite what differs) that begins after this call. */
    public long requestFull() {
        return request(true);
    }

    /**
     * Asks for a full sync as {@link #requestFull} does, having read the kernel back on the calling
     * thread first ({@link FirewallSync#readAhead}), so that the changes of that time do not wait
     * behind the read on the loop.
     */
    public long requestFullReadingAhead() {
        sync.readAhead();
        return requestFull();
    }

    private long request(boolean full) {
        synchronized (lock) {
            requested = true;
            fullRequested |= full;
            if (waitingSince == 0) {
                waitingSince = System.nanoTime();
            }
            lock.notifyAll();
            return started + 1;
        }
    }

    /** How long the oldest request has waited for a successful sync; zero when none waits. */
    public Duration waiting() {
        synchronized (lock) {
            return waitingSince == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - waitingSince);
        }
    }

    /** Runs {@code listener} (on the sync thread, so it must not block) after the first success that follows failures. */
    public void onRecovery(Runnable listener) {
        this.onRecovery = listener;
    }

    /**
     * Waits until the sync of {@code ticket} (or a later one) completed; returns whether the
     * latest completed sync committed. Throws when the loop stops first or the wait is too long.
     */
    public boolean await(long ticket, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (completed < ticket) {
                long remaining = deadline - System.nanoTime();
                if (!running || remaining <= 0) {
                    throw new IllegalStateException(running ? "no firewall sync completed within " + timeout
                            : "the firewall sync loop has stopped");
                }
                lock.wait(Math.max(1, remaining / 1_000_000));
            }
            return lastSucceeded;
        }
    }

    /**
     * Completes, on the sync thread, once the sync of {@code ticket} (or a later one) completed,
     * with whether it committed; fails when the loop stops first. Dependent work belongs on
     * another executor, so that the next sync is not held up.
     */
    public CompletableFuture<Boolean> whenSynced(long ticket) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        synchronized (lock) {
            if (completed >= ticket) {
                done.complete(lastSucceeded);
            } else if (!running) {
                done.completeExceptionally(new IllegalStateException("the firewall sync loop has stopped"));
            } else {
                waiters.add(new Waiter(ticket, done));
            }
        }
        return done;
    }

    private void loop() {
        while (running) {
            long epoch;
            boolean full;
            try {
                synchronized (lock) {
                    waitForRequest();
                    if (!running) {
                        return;
                    }
                    requested = false;
                    full = fullRequested;
                    fullRequested = false;
                    retryAtNanos = 0;
                    epoch = ++started;
                }
            } catch (InterruptedException e) {
                return;
            }
            long startedAt = System.nanoTime();
            boolean succeeded;
            try {
                succeeded = sync.sync(full);
            } catch (RuntimeException | Error e) {
                log.error("firewall sync failed unexpectedly; retrying", e);
                succeeded = false;
            }
            boolean recovered;
            List<Waiter> served = new ArrayList<>();
            synchronized (lock) {
                completed = epoch;
                lastSucceeded = succeeded;
                recovered = succeeded && failures > 0;
                if (succeeded && waitingSince != 0 && waitingSince - startedAt <= 0) {
                    // served every request made before this sync began; later ones wait for the next
                    waitingSince = requested ? startedAt : 0;
                }
                failures = succeeded ? 0 : failures + 1;
                if (!succeeded) {
                    Duration delay = FirewallSync.backoff(failures - 1, maxBackoff);
                    failedAtNanos = System.nanoTime();
                    retryAtNanos = failedAtNanos + delay.toNanos();
                    log.warn("retrying the firewall sync in {}", delay);
                }
                waiters.removeIf(waiter -> waiter.ticket() <= epoch && served.add(waiter));
                lock.notifyAll();
            }
            boolean result = succeeded;
            served.forEach(waiter -> waiter.done().complete(result));
            if (recovered) {
                try {
                    onRecovery.run();
                } catch (RuntimeException e) {
                    log.error("the recovery listener failed", e);
                }
            }
        }
    }

    /**
     * Waits, holding the lock, until a sync is asked for or a retry is due. A request is served at
     * once, except after a failure: then it waits for the retry, which serves it, brought forward
     * to at most {@link #REQUESTED_RETRY_WAIT} after the failure. Otherwise every command arriving
     * at a failing firewall would be another attempt (after a failure the agent no longer knows
     * what the kernel holds, so each reads it back and rewrites every mapping), and a busy gateway
     * would never back off.
     */
    private void waitForRequest() throws InterruptedException {
        while (running) {
            long now = System.nanoTime();
            if (retryAtNanos == 0) {
                if (requested) {
                    return;
                }
                lock.wait(0);
                continue;
            }
            long due = requested && failedAtNanos + requestedRetryWaitNanos - retryAtNanos < 0
                    ? failedAtNanos + requestedRetryWaitNanos : retryAtNanos;
            if (now - due >= 0) {
                requested = true;
                return;
            }
            lock.wait(Math.max(1, (due - now) / 1_000_000));
        }
    }

    @Override
    public void start() {
        synchronized (lock) {
            running = true;
            thread = new Thread(this::loop, "firewall-sync");
            thread.start();
        }
    }

    @Override
    public void stop() {
        Thread current;
        List<Waiter> abandoned;
        synchronized (lock) {
            running = false;
            lock.notifyAll();
            current = thread;
            abandoned = List.copyOf(waiters);
            waiters.clear();
        }
        abandoned.forEach(waiter -> waiter.done()
                .completeExceptionally(new IllegalStateException("the firewall sync loop has stopped")));
        if (current != null) {
            try {
                current.join(Duration.ofSeconds(35).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
