package org.vlab.ipam.logs.forward;

import java.time.Duration;

/** Waiting, as an effect: tests pass one that records the waits and returns at once. */
@FunctionalInterface
interface Pause {

    Pause SLEEP = duration -> Thread.sleep(Math.max(1, duration.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
