package org.vlab.ipam.logs.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checkpoints kept in memory, every save remembered in order. */
final class MemoryCheckpoints implements CheckpointStore {

    final List<Checkpoint> saved = new ArrayList<>();
    private Checkpoint current;

    MemoryCheckpoints(Checkpoint initial) {
        current = initial;
    }

    @Override
    public synchronized Optional<Checkpoint> load() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized void save(Checkpoint checkpoint) {
        saved.add(checkpoint);
        current = checkpoint;
    }

    synchronized List<Checkpoint> saved() {
        return List.copyOf(saved);
    }
}
