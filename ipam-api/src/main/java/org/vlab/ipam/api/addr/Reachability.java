package org.vlab.ipam.api.addr;

import java.time.Instant;

/** The health worker's latest verdict for one address; {@code routable} null before the first probe. */
public record Reachability(Boolean routable, Instant lastSeen) {

    public static final Reachability UNKNOWN = new Reachability(null, null);
}
