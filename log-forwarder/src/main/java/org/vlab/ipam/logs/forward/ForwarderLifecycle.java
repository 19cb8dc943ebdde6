package org.vlab.ipam.logs.forward;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the forwarding loop on a thread of its own once the application has started, and
 * stops it first on shutdown (before the broker connection closes). Stopping interrupts it:
 * a batch without a confirm is simply published again at the next start. If the loop ever
 * ends otherwise (an error escaping even its own failure handling), that is logged and
 * {@link #died()} says so, which turns health DOWN: forwarding never stops quietly.
 */
final class ForwarderLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ForwarderLifecycle.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final LogForwarder forwarder;
    private volatile Thread thread;
    private volatile Throwable died;

    ForwarderLifecycle(LogForwarder forwarder) {
        this.forwarder = forwarder;
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
            running.join(STOP_WAIT.toMillis());
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
