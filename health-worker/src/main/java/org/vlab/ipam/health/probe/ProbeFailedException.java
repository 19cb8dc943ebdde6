package org.vlab.ipam.health.probe;

/**
 * A probe that could not be made: the worker's own host failed it (no file descriptor, the
 * local firewall or routing refused to send, fping did not finish), so it tells nothing about
 * the target. Counted as a failure of the worker, never reported as an outcome.
 */
final class ProbeFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ProbeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
