package org.vlab.ipam.events;

import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;

/** Where a port mapping forwards to, and what the user called that machine. */
public record PortMapTarget(LabAddress addr, TargetPort port, MachineName name, Component component) {

    public PortMapTarget {
        Require.present(addr, "addr");
        Require.present(port, "port");
        Require.present(name, "name");
        Require.present(component, "component");
    }
}
