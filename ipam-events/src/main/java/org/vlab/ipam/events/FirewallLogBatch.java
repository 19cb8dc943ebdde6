package org.vlab.ipam.events;

import java.util.List;
import org.vlab.ipam.domain.GatewayId;

/** Consecutive FORWARD records of one gateway's log, in file order. */
public record FirewallLogBatch(GatewayId gateway, LogSource source, List<FirewallLogRecord> records)
        implements IpamMessage {

    public FirewallLogBatch {
        Require.present(gateway, "gateway");
        Require.present(source, "source");
        records = Require.list(records, "records");
    }
}
