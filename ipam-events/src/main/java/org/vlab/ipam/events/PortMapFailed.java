package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;

/** The agent refused or could not apply a command; the reason is meant for the user (iptables' stderr, trimmed). */
public record PortMapFailed(GatewayId gateway, ConnPort connPort, @JsonProperty(required = true) long generation, PortMapRequested.Action action,
        String reason, Instant failedAt) implements IpamMessage {

    public static final int MAX_REASON_LENGTH = 2000;

    public PortMapFailed {
        Require.present(gateway, "gateway");
        Require.present(connPort, "conn_port");
        Require.generation(generation);
        Require.present(action, "action");
        Require.text(reason, "reason", MAX_REASON_LENGTH);
        Require.present(failedAt, "failed_at");
    }
}
