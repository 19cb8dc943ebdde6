package org.vlab.ipam.agent.reconcile;

import org.vlab.ipam.events.SnapshotTaken;

/** Where the agent gets its gateway's full desired state from (the API, over the broker). */
public interface SnapshotSource {

    /** The gateway's snapshot; throws {@link SnapshotUnavailableException} saying why there is none. */
    SnapshotTaken fetch() throws SnapshotUnavailableException;

    /** No snapshot now: the API is not there, did not answer in time, or answered nonsense. */
    final class SnapshotUnavailableException extends Exception {

        private static final long serialVersionUID = 1L;

        public SnapshotUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
