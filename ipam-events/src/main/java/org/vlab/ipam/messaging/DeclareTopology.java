package org.vlab.ipam.messaging;

/**
 * What a service declares on the broker ({@code ipam.declare-topology}, {@code IPAM_DECLARE_TOPOLOGY}).
 * Declaring an exchange needs the configure permission on it, which a gateway service's user
 * should not have on the shared exchanges; their owner (the API, or the broker's definitions)
 * declares them instead.
 */
public enum DeclareTopology {
    /** The shared exchanges and the service's own queues, their dead-letter queues and their bindings (development). */
    ALL,
    /** Only the service's own queues and bindings; the exchanges must exist (the least-privilege setup). */
    OWN_QUEUES,
    /** Nothing: the service's queues, bindings and the exchanges are provisioned beforehand. */
    NONE;

    /** Reads {@code all}, {@code own-queues} or {@code none} (any case, '-' or '_'). */
    public static DeclareTopology parse(String value) {
        String name = value == null ? "" : value.trim().replace('-', '_').toUpperCase(java.util.Locale.ROOT);
        for (DeclareTopology mode : values()) {
            if (mode.name().equals(name)) {
                return mode;
            }
        }
        throw new IllegalStateException("ipam.declare-topology (IPAM_DECLARE_TOPOLOGY) must be all, own-queues or none; got "
                + (value == null ? "nothing" : "\"" + value + "\""));
    }
}
