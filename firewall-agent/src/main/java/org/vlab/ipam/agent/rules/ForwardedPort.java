package org.vlab.ipam.agent.rules;

import java.util.Objects;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.PortMapTarget;

/**
 * One port mapping as the firewall holds it: TCP to the gateway's WAN interface on
 * {@code connPort} goes to {@code address:targetPort}. Only these validated values reach a
 * rule; a mapping's free-text fields (machine name, component) never do.
 */
public record ForwardedPort(ConnPort connPort, LabAddress address, TargetPort targetPort) {

    public ForwardedPort {
        Objects.requireNonNull(connPort, "connPort");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(targetPort, "targetPort");
    }

    /** The forwarding of a command's or snapshot's target: its address and port, nothing of its names. */
    public static ForwardedPort of(ConnPort connPort, PortMapTarget target) {
        return new ForwardedPort(connPort, target.addr(), target.port());
    }
}
