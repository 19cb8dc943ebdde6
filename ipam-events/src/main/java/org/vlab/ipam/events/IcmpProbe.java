package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The ICMP echo probe of one address: how many echoes were sent and answered, and the mean
 * round-trip time of the answered ones (absent when none was).
 */
public record IcmpProbe(ProbeOutcome outcome, @JsonProperty(required = true) int sent, @JsonProperty(required = true) int received, Double rttMillis) {

    public IcmpProbe {
        Require.present(outcome, "outcome");
        if (sent < 0 || received < 0 || received > sent) {
            throw new IllegalArgumentException("icmp probe needs 0 <= received <= sent; got " + received + "/" + sent);
        }
        Require.millis(rttMillis, "rtt_millis");
    }

    /** The share of echoes lost, 0.0-1.0; 0 when none was sent. Written to the wire, derived on reading. */
    @JsonProperty("loss")
    public double loss() {
        return sent == 0 ? 0.0 : (sent - received) / (double) sent;
    }
}
