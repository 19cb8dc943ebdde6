package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a mapping stands: pending, then applied or failed; applied, then removing, then gone. An
 * applied mapping its agent refuses later (its lab networks narrowed) is failed, still wanted, and
 * applied again once its agent takes it back.
 */
public enum MappingState {
    @JsonProperty("pending") PENDING,
    @JsonProperty("applied") APPLIED,
    @JsonProperty("failed") FAILED,
    @JsonProperty("removing") REMOVING;

    /** Whether the gateway's firewall should hold this mapping's rules. */
    public boolean wantedOnGateway() {
        return this == PENDING || this == APPLIED;
    }
}
