package org.vlab.ipam.health.probe;

import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.TcpProbe;

/** Opens (and at once closes) a TCP connection to one port; blocks for at most its timeout. */
public interface TcpProber {

    TcpProbe connect(LabAddress address, TargetPort port);
}
