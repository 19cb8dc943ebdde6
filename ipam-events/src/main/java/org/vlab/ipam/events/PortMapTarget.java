package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;

/**
 * Where a port mapping forwards to, and what the user called that machine. {@code protocol}
 * (absent: tcp) and {@code allowed_sources} (absent: every source) are left off the wire at
 * their defaults, so a tcp mapping open to all reads and writes exactly as before they existed.
 */
public record PortMapTarget(LabAddress addr, TargetPort port, MachineName name, Component component,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Protocol.DefaultFilter.class) Protocol protocol,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = AllowedSources.AnyFilter.class) AllowedSources allowedSources) {

    public PortMapTarget {
        Require.present(addr, "addr");
        Require.present(port, "port");
        Require.present(name, "name");
        Require.present(component, "component");
        protocol = protocol == null ? Protocol.TCP : protocol;
        allowedSources = allowedSources == null ? AllowedSources.ANY : allowedSources;
    }

    /** A tcp mapping every source may use, as all mappings were before the extensions. */
    public PortMapTarget(LabAddress addr, TargetPort port, MachineName name, Component component) {
        this(addr, port, name, component, Protocol.TCP, AllowedSources.ANY);
    }
}
