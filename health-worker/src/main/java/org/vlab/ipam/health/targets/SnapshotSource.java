package org.vlab.ipam.health.targets;

import org.vlab.ipam.events.SnapshotTaken;
import org.vlab.ipam.messaging.SnapshotUnavailableException;

/** Where the gateway's desired state comes from: the API, asked over the broker. */
public interface SnapshotSource {

    /** The gateway's current snapshot; throws {@link SnapshotUnavailableException} when no answer came. */
    SnapshotTaken take();
}
