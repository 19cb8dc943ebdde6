package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.util.Optional;

/** Where the checkpoint survives restarts; a save is all or nothing. */
interface CheckpointStore {

    Optional<Checkpoint> load() throws IOException;

    void save(Checkpoint checkpoint) throws IOException;
}
