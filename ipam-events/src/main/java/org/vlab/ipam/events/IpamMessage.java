package org.vlab.ipam.events;

import org.vlab.ipam.domain.GatewayId;

/**
 * Every message on the vLab IPAM broker. Each one concerns exactly one gateway, which is
 * what its routing key is built from (see {@link MessageType#routingKey}).
 */
public sealed interface IpamMessage
        permits PortMapRequested, PortMapApplied, PortMapFailed, PortMapRemoved, GatewayHeartbeat,
        ReachabilityObserved, FirewallLogBatch, SnapshotRequested, SnapshotTaken {

    GatewayId gateway();
}
