package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A checkpoint store that adds up how often and how long its saves took, for the benchmark's table. */
final class TimedCheckpoints implements CheckpointStore {

    private final CheckpointStore store;
    private final AtomicLong saves = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();

    TimedCheckpoints(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public Optional<Checkpoint> load() throws IOException {
        return store.load();
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        long start = System.nanoTime();
        store.save(checkpoint);
        nanos.addAndGet(System.nanoTime() - start);
        saves.incrementAndGet();
    }

    long saves() {
        return saves.get();
    }

    long nanos() {
        return nanos.get();
    }
}
