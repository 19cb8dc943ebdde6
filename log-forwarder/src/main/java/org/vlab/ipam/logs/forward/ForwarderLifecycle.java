package org.vlab.ipam.logs.forward;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the forwarding loop on a thread of its own once the application has started, and
 * stops it first on shutdown (before the broker connection closes). Stopping interrupts it,
 * and cuts its publishing if it has not ended a second later: a batch without a confirm is
 * simply published again at the next start. If the loop ever
 * ends otherwise (an error escaping even its own failure handling), that is logged and
 * {@link #died()} says so, which turns health DOWN: forwarding never stops quietly.
 */
final class ForwarderLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ForwarderLifecycle.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** How long an interrupted loop gets to end by itself before its publishing is cut. */
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(1);

    private final LogForwarder forwarder;
    private final Runnable cutPublishing;
    private volatile Thread thread;
    private volatile Throwable died;

    ForwarderLifecycle(LogForwarder forwarder) {
        this(forwarder, () -> { });
    }

    /**
     * @param cutPublishing closes the publisher at once, failing a publish stuck on a socket the
     *        broker stopped reading (a memory or disk alarm): an interrupt does not free a thread
     *        blocked in a socket write
     */
    ForwarderLifecycle(LogForwarder forwarder, Runnable cutPublishing) {
        this.forwarder = forwarder;
        this.cutPublishing = cutPublishing;
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, "log-forwarder");
        thread.start();
    }

    private void run() {
        try {
            forwarder.run();
        } catch (InterruptedException e) {
            log.info("Log forwarding stopped");
        } catch (Throwable e) {
            died = e;
            log.error("Log forwarding died ({}); health is DOWN until the service is restarted", e, e);
        }
    }

    LogForwarder forwarder() {
        return forwarder;
    }

    /** What ended the forwarding loop while it should have been running, or null. */
    Throwable died() {
        return died;
    }


    @Override
    public synchronized void stop() {
        Thread running = thread;
        thread = null;
        if (running == null) {
            return;
        }
        running.interrupt();
        try {
            running.join(INTERRUPT_WAIT.toMillis());
            if (running.isAlive()) {
                // most likely a publish stuck on a socket the broker stopped reading; the batch goes again at the next start
                cutPublishing.run();
                running.join(STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            log.warn("The forwarding thread did not stop within {}", STOP_WAIT);
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
