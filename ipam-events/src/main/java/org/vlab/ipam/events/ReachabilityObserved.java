package org.vlab.ipam.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;

/**
 * The health worker probed one lab address. {@code routable} is the verdict after the
 * worker's hysteresis; {@code changed} is true only on the cycle that verdict flipped, so a
 * subscriber can notify a user without diffing. {@code icmp} is absent when not permitted.
 */
public record ReachabilityObserved(GatewayId gateway, LabAddress address, IcmpProbe icmp, List<TcpProbe> tcp,
        @JsonProperty(required = true) boolean routable, @JsonProperty(required = true) boolean changed, Instant lastSeenAlive, Instant observedAt) implements IpamMessage {

    public ReachabilityObserved {
        Require.present(gateway, "gateway");
        Require.present(address, "address");
        tcp = Require.list(tcp, "tcp");
        Require.present(observedAt, "observed_at");
    }
}
