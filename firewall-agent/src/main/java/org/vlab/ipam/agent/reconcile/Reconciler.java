package org.vlab.ipam.agent.reconcile;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.vlab.ipam.agent.firewall.ReservedPorts;
import org.vlab.ipam.agent.reconcile.AnswerPublisher.Answer;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.SnapshotUnavailableException;

/**
 * The level trigger: at start, after each new broker connection and every reconcile period it
 * fetches the gateway's snapshot, merges it into the ledger, reads the kernel back on its own
 * thread and has the sync loop make the kernel match (which also repairs drift; see
 * {@link FirewallSync#readAhead}) and settles the API's view of pending and removing mappings.
 * Without a snapshot the periodic sync still repairs drift against what the ledger knows.
 * Nothing on the host is touched before the first snapshot.
 */
public final class Reconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration SYNC_WAIT = Duration.ofMinutes(5);

    /** What the reconciler works with besides the ledger and the sync loop. */
    public record Settings(PortRange portRange, Duration period, ReservedPorts reservedPorts, Clock clock) {
    }

    private final SnapshotSource snapshots;
    private final PortLedger ledger;
    private final TargetPolicy policy;
    private final SyncLoop loop;
    private final AnswerPublisher answers;
    private final ApplicationEventPublisher events;
    private final Settings settings;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;
    private int failures;
    private boolean reservationWarned;

    public Reconciler(SnapshotSource snapshots, PortLedger ledger, TargetPolicy policy, SyncLoop loop,
            AnswerPublisher answers, ApplicationEventPublisher events, Settings settings) {
        this.snapshots = snapshots;
        this.ledger = ledger;
        this.policy = policy;
        this.loop = loop;
        this.answers = answers;
        this.events = events;
        this.settings = settings;
    }

    /** Asks for a reconcile soon; requests made while one is waiting to run are served by it. */
    public void request(String why) {
        ScheduledExecutorService current = executor;
        if (current != null && pending.compareAndSet(false, true)) {
            log.debug("reconcile requested: {}", why);
            current.execute(() -> reconcileLogged(why));
        }
    }

    /** A failure is logged and the next period or request tries again: an executor would swallow it silently. */
    private void reconcileLogged(String why) {
        try {
            reconcile(why);
        } catch (RuntimeException e) {
            pending.set(false);
            if (executor == null) {
                log.debug("reconcile ({}) ended by the agent's shutdown: {}", why, e.toString());
            } else {
                log.error("reconcile ({}) failed; the next one retries", why, e);
            }
        }
    }

    private void reconcile(String why) {
        pending.set(false);
        SnapshotTaken snapshot;
        long asked = ledger.snapshotAsked();
        try {
            snapshot = snapshots.fetch();
        } catch (SnapshotUnavailableException e) {
            failures++;
            if (ledger.knowsDesiredState()) {
                log.warn("reconcile ({}) without a fresh snapshot: {}; checking the firewall against the last known state",
                        why, e.getMessage());
                ledger.checkHeld(policy);
                loop.requestFullReadingAhead();
            } else {
                Duration retry = FirewallSync.backoff(failures, settings.period());
                log.warn("no snapshot of the desired state yet ({}); the firewall stays untouched; retrying in {}",
                        e.getMessage(), retry);
                ScheduledExecutorService current = executor;
                if (current != null && retryScheduled.compareAndSet(false, true)) {
                    current.schedule(() -> {
                        retryScheduled.set(false);
                        request("retry");
                    }, retry.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            return;
        }
        failures = 0;
        boolean first = ledger.merge(snapshot, policy, asked);
        reservePorts();
        try {
            boolean committed = loop.await(loop.requestFullReadingAhead(), SYNC_WAIT);
            if (committed) {
                List<Answer> settled = ledger.settle(snapshot, settings.clock().instant()).stream()
                        .map(message -> new Answer(message, null)).toList();
                answers.publish(settled);
                log.info("reconciled ({}) with snapshot generation {}: {} mappings listed, {} answers settled", why,
                        snapshot.generation(), snapshot.mappings().size(), settled.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IllegalStateException e) {
            log.warn("reconcile ({}) did not complete: {}", why, e.getMessage());
        }
        if (first) {
            events.publishEvent(new DesiredStateKnown(snapshot.generation()));
        }
    }

    private void reservePorts() {
        try {
            if (settings.reservedPorts().reserve(settings.portRange())) {
                log.info("reserved the connection ports {} in net.ipv4.ip_local_reserved_ports", settings.portRange());
            }
        } catch (IOException | RuntimeException e) {
            if (!reservationWarned) {
                reservationWarned = true;
                log.warn("could not reserve the connection ports {} in net.ipv4.ip_local_reserved_ports: {}; the "
                        + "gateway's own outgoing connections may take a port a mapping needs. {}", settings.portRange(),
                        e.toString(), ReservedPorts.remedy(e));
            }
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "reconcile");
            thread.setDaemon(true);
            return thread;
        });
        executor = started;
        long period = settings.period().toMillis();
        started.scheduleWithFixedDelay(() -> request("period"), period, period, TimeUnit.MILLISECONDS);
        request("start");
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = executor;
        executor = null;
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return SyncLoop.PHASE + 100;
    }
}
