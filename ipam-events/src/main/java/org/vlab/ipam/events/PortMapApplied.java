package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;

/** The agent committed a mapping's rules to the gateway's firewall at this generation. */
public record PortMapApplied(GatewayId gateway, ConnPort connPort, @JsonProperty(required = true) long generation, Instant appliedAt)
        implements IpamMessage {

    public PortMapApplied {
        Require.present(gateway, "gateway");
        Require.present(connPort, "conn_port");
        Require.generation(generation);
        Require.present(appliedAt, "applied_at");
    }
}
