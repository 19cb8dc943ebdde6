package org.vlab.ipam.health.publish;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * What the outbox tells the operator: one warning when events start to wait for the broker,
 * one line when they flow again (with how long they waited), and each drop.
 */
final class OutboxState {

    private final Logger log;
    private long waitingSince = -1;
    private int failedLastRound;
    private int droppedLastRound;

    OutboxState(Logger log) {
        this.log = log;
    }

    void round(int failed, int dropped, String reason) {
        failedLastRound = failed;
        droppedLastRound = dropped;
        if (dropped > 0) {
            log.warn("{} reachability events were dropped, no queue takes them: {}", dropped, reason);
        }
        if (failed > dropped && waitingSince < 0) {
            log.debug("publishing failed: {}", reason);
        }
    }

    void waiting(int events, String downBecause) {
        if (waitingSince < 0) {
            waitingSince = System.nanoTime();
            log.warn("reachability events wait for the broker ({}); {} waiting, probing goes on",
                    downBecause == null ? "no confirm" : downBecause, events);
        }
    }

    void delivered(int stillWaiting) {
        if (waitingSince >= 0 && stillWaiting == 0) {
            log.info("the broker takes reachability events again; the held ones are published after {} s",
                    Duration.ofNanos(System.nanoTime() - waitingSince).toSeconds());
            waitingSince = -1;
        }
    }

    int failedLastRound() {
        return failedLastRound;
    }

    int droppedLastRound() {
        return droppedLastRound;
    }
}
