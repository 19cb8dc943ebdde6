package org.vlab.ipam.agent.broker;

/**
 * What the agent declares on the broker ({@code IPAM_DECLARE_TOPOLOGY}). Declaring an exchange
 * needs the configure permission on it, which a gateway's user should not have on the shared
 * exchanges; their owner (the API, or the broker's definitions) declares them instead.
 */
public enum DeclareTopology {
    /** The shared exchanges and the agent's own queue, its dead-letter queue and their bindings (development). */
    ALL,
    /** Only the agent's own queues and bindings; the exchanges must exist (the least-privilege setup). */
    OWN_QUEUES,
    /** Nothing: the agent's queues, bindings and the exchanges are provisioned beforehand. */
    NONE
}
