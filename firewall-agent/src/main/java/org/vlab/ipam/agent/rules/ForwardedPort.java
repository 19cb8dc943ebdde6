package org.vlab.ipam.agent.rules;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.PortMapTarget;

/**
 * One port mapping as the firewall holds it: {@code protocol} to the gateway's WAN interface on
 * {@code connPort}, from a source in {@code sources}, goes to {@code address:targetPort}. Only
 * these validated values reach a rule; a mapping's free-text fields (machine name, component)
 * never do. The sources are kept ordered by address then prefix length, so that rules render
 * deterministically and a forwarding read back from the kernel equals the one written.
 */
public record ForwardedPort(ConnPort connPort, LabAddress address, TargetPort targetPort, Protocol protocol,
        AllowedSources sources) {

    private static final Comparator<LabNetwork> NETWORK_ORDER = Comparator
            .<LabNetwork>comparingLong(network -> Integer.toUnsignedLong(network.base().bits()))
            .thenComparingInt(LabNetwork::prefixLength);

    public ForwardedPort {
        Objects.requireNonNull(connPort, "connPort");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(targetPort, "targetPort");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(sources, "sources");
        sources = new AllowedSources(sources.networks().stream().sorted(NETWORK_ORDER).toList());
    }

    /** A tcp forwarding every source may use, as all forwardings were before protocols and sources. */
    public ForwardedPort(ConnPort connPort, LabAddress address, TargetPort targetPort) {
        this(connPort, address, targetPort, Protocol.TCP, AllowedSources.ANY);
    }

    /** The forwarding of a command's or snapshot's target: its address, port, protocol and sources, nothing of its names. */
    public static ForwardedPort of(ConnPort connPort, PortMapTarget target) {
        return new ForwardedPort(connPort, target.addr(), target.port(), target.protocol(), target.allowedSources());
    }

    /** The same forwarding for {@code other}: the same port, target and sources. */
    public ForwardedPort withProtocol(Protocol other) {
        return new ForwardedPort(connPort, address, targetPort, other, sources);
    }

    /** The allowed source networks in rule order; empty when every source may use the mapping. */
    public List<LabNetwork> networks() {
        return sources.networks();
    }

    /** Whether this is a tcp forwarding for every source, the form all rules had before protocols and sources. */
    public boolean isPlainTcp() {
        return protocol == Protocol.TCP && sources.isAny();
    }
}
