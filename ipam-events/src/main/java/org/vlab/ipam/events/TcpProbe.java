package org.vlab.ipam.events;

import org.vlab.ipam.domain.TargetPort;

/** A TCP connect to one mapped target port; the latency is absent when nothing answered. */
public record TcpProbe(TargetPort port, ProbeOutcome outcome, Double latencyMillis) {

    public TcpProbe {
        Require.present(port, "port");
        Require.present(outcome, "outcome");
        Require.millis(latencyMillis, "latency_millis");
    }
}
