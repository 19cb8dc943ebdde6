package org.vlab.ipam.agent.rules;

import java.util.Objects;

/**
 * What shapes the rules besides the mappings: the WAN interface DNAT matches on, and the
 * per-mapping log rule (target, NFLOG group, and its rate limit per second with its burst).
 */
public record RuleOptions(InterfaceName wanInterface, LogTarget logTarget, int nflogGroup, int logRatePerSecond,
        int logBurst) {

    public RuleOptions {
        Objects.requireNonNull(wanInterface, "wanInterface");
        Objects.requireNonNull(logTarget, "logTarget");
        if (nflogGroup < 0 || nflogGroup > 65535) {
            throw new IllegalArgumentException("NFLOG group must be 0-65535; got " + nflogGroup);
        }
        // iptables' limit match takes at most 10000/second and a burst of at most 10000
        if (logRatePerSecond < 1 || logRatePerSecond > 10000) {
            throw new IllegalArgumentException("log rate must be 1-10000 per second; got " + logRatePerSecond);
        }
        if (logBurst < 1 || logBurst > 10000) {
            throw new IllegalArgumentException("log burst must be 1-10000; got " + logBurst);
        }
    }
}
