package org.vlab.ipam.health.verdict;

import java.time.Instant;

/**
 * What to publish about one address after a cycle: the verdict, whether this cycle changed
 * it, and when the address last answered anything (null if never since this worker started).
 */
public record Judgement(boolean routable, boolean changed, Instant lastSeenAlive) {
}
