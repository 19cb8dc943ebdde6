package org.vlab.ipam.agent.reconcile;

/** Published once, when the first snapshot was merged: from now on the agent can take commands. */
public record DesiredStateKnown(long snapshotGeneration) {
}
