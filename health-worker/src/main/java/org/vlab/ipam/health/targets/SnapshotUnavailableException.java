package org.vlab.ipam.health.targets;

/** No usable snapshot came back; the worker keeps probing what it knew and asks again. */
final class SnapshotUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SnapshotUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
