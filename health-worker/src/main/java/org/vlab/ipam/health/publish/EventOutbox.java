package org.vlab.ipam.health.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.messaging.MessageMetadata;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * Reachability events on their way to the broker. The cycle hands each event over and moves
 * on; one thread of the outbox publishes them in order, with confirms, so a slow or
 * black-holed broker never stretches a cycle. While the connection is known down it waits
 * (trying one event per {@code retry} so it notices a broker that came back), and events
 * queue up, each keeping its probe time and message id (a retry after a lost confirm is a
 * duplicate consumers can drop). Events no queue takes (unroutable) are dropped and counted,
 * as are the oldest when more than {@code capacity} wait.
 */
public final class EventOutbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventOutbox.class);
    /** Events published at once while the broker answers; their confirms are awaited together. */
    static final int BATCH = 256;
    /** Stops after the cycle loop (which hands over its last events) and before the connections close. */
    static final int PHASE = DEFAULT_PHASE - 1000;

    private final MessagePublisher publisher;
    private final BrokerLink link;
    private final int capacity;
    private final Duration retry;
    private final Duration flushOnStop;
    private final Deque<OutboxEntry> waiting = new ArrayDeque<>();
    private final Counter publishFailures;
    private final Counter dropped;
    private volatile Thread thread;
    private boolean overflowing;

    public EventOutbox(MessagePublisher publisher, BrokerLink link, int capacity, Duration retry, Duration flushOnStop,
            MeterRegistry registry) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the outbox must hold at least one event; got " + capacity);
        }
        this.publisher = publisher;
        this.link = link;
        this.capacity = capacity;
        this.retry = retry;
        this.flushOnStop = flushOnStop;
        this.publishFailures = Counter.builder("ipam.health.failures").tag("stage", "publish")
                .description("Reachability events the broker did not confirm").register(registry);
        this.dropped = Counter.builder("ipam.health.failures").tag("stage", "dropped")
                .description("Reachability events never published: unroutable, or the oldest of a full outbox")
                .register(registry);
        Gauge.builder("ipam.health.outbox.events", this, EventOutbox::size)
                .description("Reachability events waiting for the broker").register(registry);
    }

    /** Queues {@code event}; {@code onConfirmed} runs once the broker confirmed it. Never blocks. */
    public void offer(ReachabilityObserved event, Runnable onConfirmed) {
        synchronized (this) {
            waiting.addLast(new OutboxEntry(event, MessageMetadata.generated(), onConfirmed));
            trimToCapacity();
            notifyAll();
        }
    }

    public synchronized int size() {
        return waiting.size();
    }

    private void trimToCapacity() {
        int over = waiting.size() - capacity;
        if (over > 0 && !overflowing) {
            log.warn("more than {} reachability events wait for the broker: dropping the oldest (the newest of each"
                    + " address carry its verdict)", capacity);
        }
        overflowing = over > 0;
        for (int i = 0; i < over; i++) {
            waiting.removeFirst();
            dropped.increment();
        }
    }

    private synchronized void awaitEvents() throws InterruptedException {
        while (waiting.isEmpty()) {
            wait();
        }
    }

    /** Takes up to {@code most} events, oldest first. */
    private synchronized List<OutboxEntry> take(int most) {
        List<OutboxEntry> batch = new ArrayList<>(Math.min(most, waiting.size()));
        while (batch.size() < most && !waiting.isEmpty()) {
            batch.add(waiting.removeFirst());
        }
        return batch;
    }

    /** Puts events that are to be tried again back in front, in their order. */
    private synchronized void putBack(List<OutboxEntry> entries) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            waiting.addFirst(entries.get(i));
        }
        trimToCapacity();
    }

    private void run() {
        OutboxState state = new OutboxState(log);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                round(state);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                // An Error too: a dead outbox thread would hold every later event without a word.
                log.error("the outbox failed a round; it goes on", e);
                pause();
            }
        }
    }

    private void round(OutboxState state) throws InterruptedException {
        awaitEvents();
        boolean up = !link.knownDown() || link.awaitUp(retry);
        // Known down for a whole retry interval: one event finds out whether it is back.
        List<OutboxEntry> batch = take(up ? BATCH : 1);
        List<OutboxEntry> again = OutboxDelivery.deliver(publisher, batch, state);
        publishFailures.increment(state.failedLastRound());
        dropped.increment(state.droppedLastRound());
        if (again.isEmpty()) {
            state.delivered(size());
            return;
        }
        putBack(again);
        state.waiting(size(), link.downBecause());
        if (!link.knownDown()) {
            Thread.sleep(retry.toMillis()); // no confirm on a link not (yet) known down: pause, try again
        }
    }

    private void pause() {
        try {
            Thread.sleep(retry.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::run, "event-outbox");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Gives the events still waiting {@code flushOnStop} to reach a broker that answers, then says how many were lost. */
    @Override
    public void stop() {
        Thread running;
        synchronized (this) {
            running = thread;
            thread = null;
        }
        if (running == null) {
            return;
        }
        try {
            long deadline = System.nanoTime() + flushOnStop.toNanos();
            while (size() > 0 && !link.knownDown() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            running.interrupt();
            running.join(flushOnStop.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int lost = size();
        if (lost > 0) {
            log.warn("stopping with {} reachability events not published ({})", lost,
                    link.knownDown() ? link.downBecause() : "the broker did not confirm them in time");
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
