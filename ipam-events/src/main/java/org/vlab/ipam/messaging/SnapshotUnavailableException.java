package org.vlab.ipam.messaging;

/** No snapshot now: no API is listening, it did not answer in time, or it answered nonsense. */
public final class SnapshotUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SnapshotUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
