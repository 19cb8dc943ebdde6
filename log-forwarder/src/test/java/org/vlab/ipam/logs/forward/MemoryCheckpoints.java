package org.vlab.ipam.logs.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Checkpoints kept in memory, every save remembered in order; a test may run something after each. */
final class MemoryCheckpoints implements CheckpointStore {

    final List<Checkpoint> saved = new ArrayList<>();
    private Checkpoint current;
    private Consumer<Checkpoint> afterSave = checkpoint -> { };

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
        afterSave.accept(checkpoint);
    }

    /** Runs {@code hook} after each save: a note of it, or the process dying right after the write. */
    MemoryCheckpoints afterEachSave(Consumer<Checkpoint> hook) {
        afterSave = hook;
        return this;
    }

    synchronized List<Checkpoint> saved() {
        return List.copyOf(saved);
    }
}
