package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one probe saw. */
public enum ProbeOutcome {
    /** An echo reply, or a completed TCP handshake. */
    @JsonProperty("answered") ANSWERED,
    /** The host answered with a TCP reset: it is up, the port is closed. */
    @JsonProperty("refused") REFUSED,
    /** Nothing came back within the probe's timeout. */
    @JsonProperty("timed_out") TIMED_OUT,
    /** The network said the host cannot be reached (ICMP unreachable, no route). */
    @JsonProperty("unreachable") UNREACHABLE,
    /** The worker may not send this probe (ICMP without NET_RAW). */
    @JsonProperty("not_permitted") NOT_PERMITTED
}
