package org.vlab.ipam.health.probe;

import org.vlab.ipam.events.IcmpProbe;

/**
 * What one echo run learned about one address: its probe, or the failure of the worker that
 * leaves the address unknown (never both).
 */
public record EchoResult(IcmpProbe probe, RuntimeException failure) {

    public EchoResult {
        if ((probe == null) == (failure == null)) {
            throw new IllegalArgumentException("an echo result is a probe or a failure");
        }
    }

    static EchoResult of(IcmpProbe probe) {
        return new EchoResult(probe, null);
    }

    static EchoResult failed(RuntimeException failure) {
        return new EchoResult(null, failure);
    }

    /** The probe, or the failure thrown. */
    public IcmpProbe probeOrThrow() {
        if (failure != null) {
            throw failure;
        }
        return probe;
    }
}
