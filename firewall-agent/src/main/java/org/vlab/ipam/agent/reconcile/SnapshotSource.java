package org.vlab.ipam.agent.reconcile;

import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.SnapshotUnavailableException;

/** Where the agent gets its gateway's full desired state from (the API, over the broker). */
public interface SnapshotSource {

    /** The gateway's snapshot; throws {@link SnapshotUnavailableException} saying why there is none. */
    SnapshotTaken fetch();
}
