package org.vlab.ipam.logs.forward;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the forwarding loop on a thread of its own once the application has started, and
 * stops it first on shutdown (before the broker connection closes). Stopping interrupts it:
 * a batch without a confirm is simply published again at the next start.
 */
final class ForwarderLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ForwarderLifecycle.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final LogForwarder forwarder;
    private volatile Thread thread;

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
        }
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
