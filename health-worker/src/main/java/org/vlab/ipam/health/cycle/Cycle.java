package org.vlab.ipam.health.cycle;

/** One probe cycle, as {@link CycleLoop} runs it. */
interface Cycle {

    /**
     * Probes every target once and publishes the results.
     *
     * @return whether the worker had a snapshot of its gateway to probe from
     * @throws InterruptedException when the worker is stopping
     */
    boolean run() throws InterruptedException;
}
