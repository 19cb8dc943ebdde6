package org.vlab.ipam.health.probe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;

/**
 * Finds out at start whether this worker can send ICMP echoes, by pinging its own loopback
 * (no packet leaves the host). If it cannot, it says so once, as a warning that names NET_RAW,
 * and the worker probes with TCP connects only.
 */
final class IcmpCheck {

    private static final Logger log = LoggerFactory.getLogger(IcmpCheck.class);
    static final Ipv4Address LOOPBACK = Ipv4Address.parse("127.0.0.1");

    private IcmpCheck() {
    }

    /** {@code prober} when it works, else {@link IcmpProber#OFF} after one warning. */
    static IcmpProber usable(IcmpProber prober) {
        String problem;
        try {
            IcmpProbe probe = prober.echo(LOOPBACK);
            if (probe.outcome() == ProbeOutcome.ANSWERED) {
                log.info("ICMP probes are on: an echo to {} was answered", LOOPBACK);
                return prober;
            }
            problem = "an echo to " + LOOPBACK + " was not answered (" + probe.outcome() + ")";
        } catch (IcmpUnavailableException | IllegalStateException e) {
            problem = e.getMessage();
        }
        log.warn("ICMP probes are off, probing with TCP connects only: {}. ICMP echoes are sent by fping "
                + "(Debian package fping), which needs the NET_RAW capability: grant NET_RAW to the container "
                + "(Kubernetes securityContext.capabilities.add, docker --cap-add NET_RAW)", problem);
        return IcmpProber.OFF;
    }
}
