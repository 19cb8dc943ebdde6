package org.vlab.ipam.agent.reconcile;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The one thread that changes the firewall. Anyone who changed the ledger asks for a sync and
 * gets a ticket; requests that arrive while a sync runs, or within the minimum interval after
 * one started, are served together by the next sync, so a burst of commands costs one
 * transaction. A failed sync is retried with back-off, and the first sync that succeeds after
 * failures tells the recovery listener (the reconciler settles what waited meanwhile). It also
 * keeps how long the oldest request has waited for a successful sync: the health's measure of
 * progress.
 */
public final class SyncLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);
    /** Starts after nothing, stops after the command consumer and the reconciler. */
    static final int PHASE = 0;

    private final FirewallSync sync;
    private final Duration minInterval;
    private final Duration maxBackoff;
    private final Object lock = new Object();
    private long started;
    private long completed;
    private boolean lastSucceeded;
    private boolean requested;
    private long retryAtNanos;
    private int failures;
    private Thread thread;
    private volatile boolean running;
    /** When the oldest request not yet served by a successful sync was made (nanoTime); 0 when none waits. */
    private long waitingSince;
    private volatile Runnable onRecovery = () -> { };

    public SyncLoop(FirewallSync sync, Duration minInterval, Duration maxBackoff) {
        this.sync = sync;
        this.minInterval = minInterval;
        this.maxBackoff = maxBackoff;
    }

    /** Asks for a sync that begins after this call; returns the ticket {@link #await} waits for. */
    public long request() {
        synchronized (lock) {
            requested = true;
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

    private void loop() {
        long lastStart = System.nanoTime() - minInterval.toNanos();
        while (running) {
            long epoch;
            try {
                synchronized (lock) {
                    waitForRequest(lastStart);
                    if (!running) {
                        return;
                    }
                    requested = false;
                    retryAtNanos = 0;
                    epoch = ++started;
                }
            } catch (InterruptedException e) {
                return;
            }
            long startedAt = System.nanoTime();
            lastStart = startedAt;
            boolean succeeded;
            try {
                succeeded = sync.sync();
            } catch (RuntimeException | Error e) {
                log.error("firewall sync failed unexpectedly; retrying", e);
                succeeded = false;
            }
            boolean recovered;
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
                    retryAtNanos = System.nanoTime() + delay.toNanos();
                    log.warn("retrying the firewall sync in {}", delay);
                }
                lock.notifyAll();
            }
            if (recovered) {
                try {
                    onRecovery.run();
                } catch (RuntimeException e) {
                    log.error("the recovery listener failed", e);
                }
            }
        }
    }

    /** Waits, holding the lock, until a sync is asked for (or a retry is due) and the minimum interval has passed. */
    private void waitForRequest(long lastStart) throws InterruptedException {
        while (running) {
            long now = System.nanoTime();
            if (!requested && retryAtNanos != 0 && now >= retryAtNanos) {
                requested = true;
            }
            long earliest = lastStart + minInterval.toNanos();
            if (requested && now >= earliest) {
                return;
            }
            long until = requested ? earliest : retryAtNanos != 0 ? retryAtNanos : 0;
            lock.wait(until == 0 ? 0 : Math.max(1, (until - now) / 1_000_000));
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
        synchronized (lock) {
            running = false;
            lock.notifyAll();
            current = thread;
        }
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
