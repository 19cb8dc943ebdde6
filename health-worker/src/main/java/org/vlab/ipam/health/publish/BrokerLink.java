package org.vlab.ipam.health.publish;

import com.rabbitmq.client.ShutdownSignalException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * What the worker knows of its broker connection, from the connection factory's own events:
 * known down from a failed connect or a lost connection (a missed heartbeat, a reset) until a
 * connection is made again. Publishing and snapshot requests wait while it is known down
 * instead of each paying a connect timeout.
 */
public final class BrokerLink implements ConnectionListener {

    private final Object changes = new Object();
    private volatile String downBecause;

    @Override
    public void onCreate(Connection connection) {
        synchronized (changes) {
            downBecause = null;
            changes.notifyAll();
        }
    }

    @Override
    public void onShutDown(ShutdownSignalException signal) {
        if (!signal.isInitiatedByApplication()) {
            down("the connection was lost: " + signal.getMessage());
        }
    }

    @Override
    public void onFailed(Exception exception) {
        down("cannot connect: " + exception.getMessage());
    }

    private void down(String reason) {
        synchronized (changes) {
            downBecause = reason;
        }
    }

    /** Whether the last thing the connection factory said was that the broker cannot be reached. */
    public boolean knownDown() {
        return downBecause != null;
    }

    /** Why the broker is known down, or null when it is not. */
    public String downBecause() {
        return downBecause;
    }

    /** Waits until a connection was made again, at most {@code timeout}; returns whether it was. */
    boolean awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (downBecause != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(changes, left);
            }
            return true;
        }
    }
}
