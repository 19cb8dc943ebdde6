package org.vlab.ipam.logs;


import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting for the lines to arrive, without failing on the timeout itself: the assertions after it say what is missing. */
final class Arrival {

    private Arrival() {
    }

    static void await(Callable<Boolean> arrived, Duration atMost) {
        try {
            org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(arrived);
        } catch (ConditionTimeoutException e) {
            System.out.println("[arrival] not everything arrived within " + atMost + "; the assertions tell what is missing");
        }
    }
}
